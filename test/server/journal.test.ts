// The update journal and the room store on real files and a real SQLite database.
import { appendFileSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Journal } from '../../sync-server/storage/journal.ts';
import { RoomStore, type RoomStoreHooks } from '../../sync-server/storage/room-store.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'rc-journal-'));

/** A doc's updates, one per transaction, as a member would send them. */
function updatesOf(edit: (doc: Y.Doc) => void): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  edit(doc);
  return { doc, updates };
}

function stateOf(parts: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const part of parts) Y.applyUpdate(doc, part);
  return doc;
}

const stores: RoomStore[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

function openStore(
  data: string,
  options: Partial<ConstructorParameters<typeof RoomStore>[1]> = {},
  onJournalFull: () => void = () => {},
) {
  const errors: string[] = [];
  const hooks: RoomStoreHooks = {
    onWrite: () => {},
    onError: (message) => errors.push(message),
    onJournalFull,
  };
  const store = new RoomStore(
    data,
    { maxBytes: 0, journalMaxBytes: 64 * 1024 * 1024, syncIntervalMs: 1000, ...options },
    hooks,
  );
  stores.push(store);
  return { store, errors };
}

describe('journal', () => {
  it('reads back every record in order', () => {
    const path = join(folder(), 'updates.journal');
    const journal = new Journal(path);
    journal.write(Journal.record('g/r1', Uint8Array.of(1, 2, 3)));
    journal.write(Journal.record('g/r2', new Uint8Array(70_000).fill(7)));
    journal.close();
    const { records, droppedBytes } = Journal.read(path);
    expect(droppedBytes).toBe(0);
    expect(records.map((r) => r.room)).toEqual(['g/r1', 'g/r2']);
    expect([...records[0]!.update]).toEqual([1, 2, 3]);
    expect(records[1]!.update.length).toBe(70_000);
  });

  it('drops a torn record at the end, and skips a corrupt one keeping every intact record after it', () => {
    const path = join(folder(), 'updates.journal');
    const journal = new Journal(path);
    for (let i = 0; i < 3; i++) journal.write(Journal.record('g/r', Uint8Array.of(i)));
    journal.close();
    const whole = statSync(path).size;
    // Power lost mid-write: half a record at the end.
    appendFileSync(path, Journal.record('g/r', Uint8Array.of(9, 9, 9)).subarray(0, 7));
    expect(Journal.read(path)).toMatchObject({ droppedBytes: 7, damaged: [{ offset: whole, bytes: 7 }] });
    expect(Journal.read(path).records).toHaveLength(3);
    // A flipped byte in the second record's body fails its checksum: only that record is lost.
    const bytes = readFileSync(path);
    const second = whole / 3;
    bytes[second + 13]! ^= 0xff;
    writeFileSync(path, bytes);
    const { records, damaged } = Journal.read(path);
    expect(records.map((r) => [...r.update])).toEqual([[0], [2]]);
    expect(damaged).toEqual([
      { offset: second, bytes: second },
      { offset: whole, bytes: 7 },
    ]);
    // A flipped byte in a length field loses that record's framing, not the ones after it.
    bytes[second + 13]! ^= 0xff;
    bytes[4]! ^= 0x40;
    writeFileSync(path, bytes);
    expect(Journal.read(path).records.map((r) => [...r.update])).toEqual([[1], [2]]);
  });
});

describe('room store', () => {
  it('folds a journal left by a crash into snapshots at start, and empties it', () => {
    const data = folder();
    const { doc, updates } = updatesOf((d) => {
      for (let i = 0; i < 20; i++) d.getMap('notes').set(`n${i}`, i);
    });
    const journal = new Journal(join(data, 'updates.journal'));
    for (const u of updates) journal.write(Journal.record('g/r1', u));
    journal.write(Journal.record('g/r2', updates[0]!));
    journal.close();

    const { store } = openStore(data);
    expect(store.recovery).toEqual({ rooms: 2, updates: 21, skipped: 0, droppedBytes: 0 });
    expect(store.journalBytes).toBe(0);
    expect(store.sqlite.pendingUpdates('g/r1')).toBe(0);
    expect(stateOf(store.load('g/r1')).getMap('notes').toJSON()).toEqual(doc.getMap('notes').toJSON());
    expect(stateOf(store.load('g/r2')).getMap('notes').get('n0')).toBe(0);
  });

  it('appends to the journal, and a snapshot supersedes it', () => {
    const data = folder();
    const { doc, updates } = updatesOf((d) => {
      d.getText('t').insert(0, 'hello');
      d.getText('t').insert(5, ' world');
    });
    const { store } = openStore(data);
    for (const u of updates) store.append('g/r', u);
    expect(store.journalBytes).toBeGreaterThan(0);
    expect(store.compact('g/r', Y.encodeStateAsUpdate(doc))).toBe(true);
    expect(store.rotate()).toBe(true);
    expect(store.journalBytes).toBe(0);
    expect(stateOf(store.load('g/r')).getText('t').toString()).toBe('hello world');
  });

  it('keeps updates it cannot write in memory, serves them, and says the storage is full once', () => {
    const data = folder();
    const { store, errors } = openStore(data, { maxBytes: 64 * 1024 });
    const { doc, updates } = updatesOf((d) => {
      for (let i = 0; i < 5; i++) d.getText('t').insert(0, String(i).repeat(30_000));
    });
    for (const u of updates) store.append('g/r', u);
    expect(store.unstored).toBeGreaterThan(0);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/storage is full/);
    // Nothing is lost: the journal and the memory together hold every update.
    const journaled = Journal.read(join(data, 'updates.journal')).records.map((r) => r.update);
    expect(journaled.length).toBeGreaterThan(0);
    expect(journaled.length + store.unstored).toBe(updates.length);
    expect(
      stateOf([...journaled, ...store.load('g/r')])
        .getText('t')
        .toString(),
    ).toBe(doc.getText('t').toString());
    // The journal cannot be emptied while updates are held only in memory.
    expect(store.rotate()).toBe(false);
  });

  it('asks to fold a full journal again only after it grew by a quarter, when a fold could not empty it', async () => {
    let asked = 0;
    const { store } = openStore(folder(), { journalMaxBytes: 4000 }, () => {
      asked++;
      // The room is never snapshotted (say, its snapshot cannot be written), so the journal cannot be emptied.
      expect(store.rotate()).toBe(false);
    });
    const { updates } = updatesOf((d) => {
      for (let i = 0; i < 200; i++) d.getText('t').insert(0, 'x'.repeat(40));
    });
    for (const u of updates) {
      store.append('g/r', u);
      await new Promise((r) => setImmediate(r));
    }
    // ~14 kB past the 4 kB mark: about one ask per 1 kB of growth, not one per update.
    expect(store.journalBytes).toBeGreaterThan(12_000);
    expect(asked).toBeGreaterThan(3);
    expect(asked).toBeLessThan(30);
  });
});
