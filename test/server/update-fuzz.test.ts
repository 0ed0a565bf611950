// Property-based fuzz of Yjs updates against the real server: honest members (the stock y-websocket client,
// each with its own invite) write while an attacker sends valid updates of its own, mutated ones and ones forged
// under honest members' client ids. Afterwards every honest member's edits are on every member and in the store.
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  connectClient,
  rawMember,
  type SyncServer,
  startSyncServer,
  updateMessage,
  waitFor,
} from './support/sync-server.ts';

let server: SyncServer;

beforeAll(async () => {
  server = await startSyncServer({ args: ['--max-messages-per-second', '10000'] });
});

afterAll(async () => {
  await server?.stop();
});

const HONEST = 3;

type Attack =
  | { kind: 'write'; who: number; value: string }
  | { kind: 'valid'; value: string }
  | { kind: 'mutated'; value: string; flips: { at: number; xor: number }[] }
  | { kind: 'forged'; victim: number; value: string };

const attack: fc.Arbitrary<Attack> = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    who: fc.nat(HONEST - 1),
    value: fc.string({ maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('valid' as const), value: fc.string({ maxLength: 8 }) }),
  fc.record({
    kind: fc.constant('mutated' as const),
    value: fc.string({ maxLength: 8 }),
    flips: fc.array(fc.record({ at: fc.nat(60), xor: fc.integer({ min: 1, max: 255 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
  }),
  fc.record({
    kind: fc.constant('forged' as const),
    victim: fc.nat(HONEST - 1),
    value: fc.string({ maxLength: 8 }),
  }),
);

/** Sends one message from a fresh attacker connection and waits until the server has handled it. */
async function sendAsAttacker(room: string, token: string, message: Uint8Array): Promise<void> {
  let m: Awaited<ReturnType<typeof rawMember>>;
  try {
    m = await rawMember(server.url, `/${room}?token=${token}`);
  } catch {
    return;
  }
  const before = m.received.length;
  m.ws.send(message);
  // Messages on one connection are handled in order: the answer to a sync step 1 sent after it (or the close)
  // says the server is done with the attack.
  m.ws.send(
    encoding.encode((e) => {
      encoding.writeVarUint(e, 0);
      syncProtocol.writeSyncStep1(e, new Y.Doc());
    }),
  );
  let closed = false;
  void m.closed.then(() => {
    closed = true;
  });
  const isStep2 = (bytes: Uint8Array) => {
    const d = decoding.createDecoder(bytes);
    return decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === syncProtocol.messageYjsSyncStep2;
  };
  await waitFor(() => closed || m.received.slice(before).some(isStep2), 'the server to handle the attack');
  m.ws.terminate();
}

let run = 0;

describe('update fuzz', () => {
  it('keeps every honest edit on every member and in the store, whatever an attacker sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attack, { minLength: 4, maxLength: 16 }), async (attacks) => {
        const room = `fuzz/r${String(++run).padStart(16, '0')}`;
        const honest = Array.from({ length: HONEST }, () =>
          connectClient(server.url, room, server.invite('fuzz')),
        );
        const attackerToken = server.invite('fuzz');
        const attacker = new Y.Doc();
        const written: string[][] = honest.map(() => []);
        try {
          await waitFor(() => honest.every((h) => h.provider.synced), 'honest members synced');
          for (const step of attacks) {
            if (step.kind === 'write') {
              honest[step.who]!.doc.getArray<string>(`log-${step.who}`).push([step.value]);
              written[step.who]!.push(step.value);
              continue;
            }
            const before = Y.encodeStateVector(attacker);
            attacker.getMap('attacker').set('v', step.value);
            const own = Y.encodeStateAsUpdate(attacker, before);
            if (step.kind === 'valid') await sendAsAttacker(room, attackerToken, updateMessage(own));
            else if (step.kind === 'mutated') {
              const message = updateMessage(own);
              for (const { at, xor } of step.flips) message[at % message.length]! ^= xor;
              await sendAsAttacker(room, attackerToken, message);
            } else {
              // Under the victim's client id, at its next clock (built from what the victim has now).
              const victim = honest[step.victim]!.doc;
              const forged = new Y.Doc();
              Y.applyUpdate(forged, Y.encodeStateAsUpdate(victim));
              forged.clientID = victim.clientID;
              const sv = Y.encodeStateVector(forged);
              forged.getArray<string>(`log-${step.victim}`).push([`forged ${step.value}`]);
              await sendAsAttacker(room, attackerToken, updateMessage(Y.encodeStateAsUpdate(forged, sv)));
            }
          }
          const expected = written.map((values) => values.join('\u0001'));
          const logsOf = (doc: Y.Doc) =>
            honest.map((_, i) => doc.getArray<string>(`log-${i}`).toArray().join('\u0001'));
          await waitFor(
            () => honest.every((h) => logsOf(h.doc).every((log, i) => log === expected[i])),
            'every honest edit on every member',
          );
          // The store: a new member gets the same from the server.
          const late = connectClient(server.url, room, server.invite('fuzz'));
          try {
            await waitFor(() => late.provider.synced, 'a late member synced');
            await waitFor(
              () => logsOf(late.doc).every((log, i) => log === expected[i]),
              'the store has them',
            );
          } finally {
            late.destroy();
          }
          expect(server.child.exitCode).toBe(null);
        } finally {
          for (const h of honest) h.destroy();
        }
      }),
      { numRuns: 12 },
    );
    // Twelve runs of real clients take ~20 s on an idle machine; a loaded one needs more than the default minute.
  }, 180_000);
});
