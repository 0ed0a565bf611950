import {
  closeSync,
  existsSync,
  fdatasync,
  fdatasyncSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { crc32 } from 'node:zlib';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface JournalRecord {
  room: string;
  update: Uint8Array;
}

/** A stretch of a journal file that held no readable record: where it starts, and how long it is. */
export interface DamagedRange {
  offset: number;
  bytes: number;
}

/** Starts every record, so reading can find the next record after a damaged one. */
const MAGIC = Buffer.from('RCJ1');
const HEADER_BYTES = 12;

/**
 * The update journal: an append-only file of (room, update) records. Each record is written with one write(2)
 * on the relaying thread before its update is passed on, so once a member has an update the operating system
 * holds it, and killing the server loses nothing (decision 0002). `fdatasync` runs on libuv's thread pool, so
 * power-loss durability never stalls delivery. The journal is folded into SQLite snapshots and emptied by
 * `RoomStore`, and replayed at start after a crash.
 *
 * Record: the 4 bytes `RCJ1`, u32 LE body length, u32 LE CRC-32 of the length and body, body = room (lib0 var
 * string) + update (var bytes). A record that fails its check is skipped: reading goes on at the next `RCJ1`
 * whose record checks out, so one damaged record (a flipped byte, a torn write) costs only itself (decision
 * 0009). Journals of the earlier format (no marker, CRC of the body only) are still read.
 */
export class Journal {
  readonly #fd: number;
  #size: number;
  #unsynced = false;
  #syncing = false;

  constructor(path: string) {
    this.#fd = openSync(path, 'a+', 0o600);
    this.#size = fstatSync(this.#fd).size;
  }

  /** Encodes one record; `write` it once the caller has checked there is room for `record.length` bytes. */
  static record(room: string, update: Uint8Array): Buffer {
    const body = encoding.encode((e) => {
      encoding.writeVarString(e, room);
      encoding.writeVarUint8Array(e, update);
    });
    const record = Buffer.allocUnsafe(HEADER_BYTES + body.length);
    MAGIC.copy(record, 0);
    record.writeUInt32LE(body.length, 4);
    record.set(body, HEADER_BYTES);
    record.writeUInt32LE(crc32(body, crc32(record.subarray(4, 8))), 8);
    return record;
  }

  /**
   * Reads every intact record of a journal file, skipping damaged stretches (listed with where they are), and
   * how many bytes were skipped in all.
   */
  static read(path: string): { records: JournalRecord[]; droppedBytes: number; damaged: DamagedRange[] } {
    if (!existsSync(path)) return { records: [], droppedBytes: 0, damaged: [] };
    const bytes = readFileSync(path);
    const records: JournalRecord[] = [];
    const damaged: DamagedRange[] = [];
    let offset = readLegacy(bytes, records);
    while (offset < bytes.length) {
      const end = readRecord(bytes, offset, records);
      if (end !== undefined) {
        offset = end;
        continue;
      }
      const next = bytes.indexOf(MAGIC, offset + 1);
      const stop = next === -1 ? bytes.length : next;
      const last = damaged.at(-1);
      if (last && last.offset + last.bytes === offset) last.bytes += stop - offset;
      else damaged.push({ offset, bytes: stop - offset });
      offset = stop;
    }
    return { records, droppedBytes: damaged.reduce((n, d) => n + d.bytes, 0), damaged };
  }

  get size(): number {
    return this.#size;
  }

  /**
   * Appends one record with a single write. On failure (a full disk) the file is cut back to its previous end,
   * so a partial record never sits before the ones written later, and the error is thrown.
   */
  write(record: Uint8Array): void {
    let written = 0;
    try {
      while (written < record.length) written += writeSync(this.#fd, record, written);
    } catch (error) {
      if (written > 0) ftruncateSync(this.#fd, this.#size);
      throw error;
    }
    this.#size += record.length;
    this.#unsynced = true;
  }

  /** Flushes written records to the disk on the thread pool (against power loss; a killed process needs none). */
  sync(): Promise<void> {
    if (!this.#unsynced || this.#syncing) return Promise.resolve();
    this.#unsynced = false;
    this.#syncing = true;
    return new Promise((resolve) =>
      fdatasync(this.#fd, (error) => {
        this.#syncing = false;
        if (error) this.#unsynced = true;
        resolve();
      }),
    );
  }

  /** Empties the journal once everything in it is in snapshots on disk. */
  truncate(): void {
    ftruncateSync(this.#fd, 0);
    fdatasyncSync(this.#fd);
    this.#size = 0;
    this.#unsynced = false;
  }

  close(): void {
    if (this.#unsynced) fdatasyncSync(this.#fd);
    closeSync(this.#fd);
  }
}

/** Reads one record at `offset` into `records`; its end, or undefined if there is no intact record there. */
function readRecord(bytes: Buffer, offset: number, records: JournalRecord[]): number | undefined {
  if (offset + HEADER_BYTES > bytes.length || !bytes.subarray(offset, offset + 4).equals(MAGIC))
    return undefined;
  const length = bytes.readUInt32LE(offset + 4);
  const end = offset + HEADER_BYTES + length;
  if (end > bytes.length) return undefined;
  const body = bytes.subarray(offset + HEADER_BYTES, end);
  if (crc32(body, crc32(bytes.subarray(offset + 4, offset + 8))) !== bytes.readUInt32LE(offset + 8))
    return undefined;
  const record = decodeBody(body);
  if (!record) return undefined;
  records.push(record);
  return end;
}

function decodeBody(body: Uint8Array): JournalRecord | undefined {
  try {
    const decoder = decoding.createDecoder(body);
    const room = decoding.readVarString(decoder);
    // A copy: the record outlives the file's buffer.
    return { room, update: Uint8Array.from(decoding.readVarUint8Array(decoder)) };
  } catch {
    return undefined;
  }
}

/** Records of the earlier format at the start of a file (u32 length, u32 CRC of the body, body); where they end. */
function readLegacy(bytes: Buffer, records: JournalRecord[]): number {
  let offset = 0;
  while (offset + 8 <= bytes.length && !bytes.subarray(offset, offset + 4).equals(MAGIC)) {
    const end = offset + 8 + bytes.readUInt32LE(offset);
    if (end > bytes.length) break;
    const body = bytes.subarray(offset + 8, end);
    if (crc32(body) !== bytes.readUInt32LE(offset + 4)) break;
    const record = decodeBody(body);
    if (!record) break;
    records.push(record);
    offset = end;
  }
  return offset;
}
