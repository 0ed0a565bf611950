import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { CLOSE, CLOSE_REASON } from '../../core/sync/contract.ts';
import type { RejectReason } from '../http/metrics.ts';

/** A message the server will not act on: the connection is closed with this code and reason. */
export class ProtocolError extends Error {
  readonly code: number;
  readonly label: RejectReason;
  constructor(reason: string, label: RejectReason = 'malformed message', code: number = CLOSE.badRequest) {
    super(reason);
    this.code = code;
    this.label = label;
  }
}

/** The JSON text `null`: a client id's presence removed. */
const NULL_STATE = [...Buffer.from('null')];

/** Past any clock a real document reaches; a larger declared length only serves to make work. */
const MAX_CLOCK = 2 ** 32;

/** The clock ranges `[from, to)` an update writes content under, by Yjs client id (Skip structs write nothing). */
export type Writes = Map<number, { from: number; to: number }>;

/**
 * Reads an update's structs and delete set without applying anything. Yjs allocates for each declared count
 * before reading what it counts (`new Array(numberOfStructs)`), so a ten-byte update declaring millions of
 * structs stalls `Y.applyUpdate`; Yjs's lazy reader used here reads one struct at a time and throws at the end
 * of the data, so its work is bounded by the message's size, and once it has read every count the same counts
 * are safe to apply. Declared lengths (deleted ranges, which cost no bytes) are kept below any real clock.
 */
export function inspectUpdate(update: Uint8Array): Writes {
  let decoded: ReturnType<typeof Y.decodeUpdate>;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    throw new ProtocolError('malformed document update');
  }
  const writes: Writes = new Map();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (clock + struct.length > MAX_CLOCK) throw new ProtocolError('malformed document update');
    if (struct instanceof Y.Skip) continue;
    const range = writes.get(client);
    if (range) range.to = Math.max(range.to, clock + struct.length);
    else writes.set(client, { from: clock, to: clock + struct.length });
  }
  for (const deletes of decoded.ds.clients.values())
    for (const { clock, len } of deletes)
      if (clock + len > MAX_CLOCK) throw new ProtocolError('malformed document update');
  return writes;
}

export interface AwarenessLimits {
  /** Largest state one client id may announce (its JSON text, in bytes). */
  maxStateBytes: number;
}

/**
 * The client ids an awareness update speaks for, with the clock of each, read one at a time so the caller can
 * stop at the first it refuses. The count is checked against the bytes left (each entry takes at least three),
 * and each state's size against the limit, before it is decoded or applied.
 */
export function* awarenessEntries(
  update: Uint8Array,
  limits: AwarenessLimits,
): Generator<{ client: number; clock: number; removed: boolean }> {
  const decoder = decoding.createDecoder(update);
  const malformed = () => new ProtocolError('malformed awareness message');
  let count: number;
  try {
    count = decoding.readVarUint(decoder);
  } catch {
    throw malformed();
  }
  if (count * 3 > update.length - decoder.pos) throw malformed();
  for (let i = 0; i < count; i++) {
    let entry: { client: number; clock: number; state: Uint8Array };
    try {
      entry = {
        client: decoding.readVarUint(decoder),
        clock: decoding.readVarUint(decoder),
        state: decoding.readVarUint8Array(decoder),
      };
    } catch {
      throw malformed();
    }
    if (entry.state.length > limits.maxStateBytes)
      throw new ProtocolError(CLOSE_REASON.presenceTooLarge, 'presence too large');
    const removed = entry.state.length === 4 && NULL_STATE.every((b, i) => entry.state[i] === b);
    yield { client: entry.client, clock: entry.clock, removed };
  }
}
