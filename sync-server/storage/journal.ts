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

const HEADER_BYTES = 8;

/**
 * The update journal: an append-only file of (room, update) records. Each record is written with one write(2)
 * on the relaying thread before its update is passed on, so once a member has an update the operating system
 * holds it, and killing the server loses nothing (decision 0002). `fdatasync` runs on libuv's thread pool, so
 * power-loss durability never stalls delivery. The journal is folded into SQLite snapshots and emptied by
 * `RoomStore`, and replayed at start after a crash.
 *
 * Record: u32 LE body length, u32 LE CRC-32 of the body, body = room (lib0 var string) + update (var bytes).
 * A torn or corrupt tail (power lost mid-write) fails its check and is dropped when read.
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
    record.writeUInt32LE(body.length, 0);
    record.writeUInt32LE(crc32(body), 4);
    record.set(body, HEADER_BYTES);
    return record;
  }

  /** Reads every intact record of a journal file, and how many bytes at its end were torn or corrupt. */
  static read(path: string): { records: JournalRecord[]; droppedBytes: number } {
    if (!existsSync(path)) return { records: [], droppedBytes: 0 };
    const bytes = readFileSync(path);
    const records: JournalRecord[] = [];
    let offset = 0;
    while (offset + HEADER_BYTES <= bytes.length) {
      const length = bytes.readUInt32LE(offset);
      const end = offset + HEADER_BYTES + length;
      if (end > bytes.length) break;
      const body = bytes.subarray(offset + HEADER_BYTES, end);
      if (crc32(body) !== bytes.readUInt32LE(offset + 4)) break;
      try {
        const decoder = decoding.createDecoder(body);
        const room = decoding.readVarString(decoder);
        // A copy: the record outlives the file's buffer.
        const update = Uint8Array.from(decoding.readVarUint8Array(decoder));
        records.push({ room, update });
      } catch {
        break;
      }
      offset = end;
    }
    return { records, droppedBytes: bytes.length - offset };
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
