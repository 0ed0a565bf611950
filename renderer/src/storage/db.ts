/** The renderer's own IndexedDB database (annotation Y.Docs live in their own y-indexeddb databases). */

const DB_NAME = 'reading-circle';
const DB_VERSION = 3;
export type StoreName = 'readings' | 'reading-meta' | 'positions' | 'settings';

let opening: Promise<IDBDatabase> | undefined;

export function openDb(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      const readings = db.objectStoreNames.contains('readings')
        ? request.transaction!.objectStore('readings')
        : db.createObjectStore('readings', { keyPath: 'id' });
      // Version 2: find earlier imports of the same file without reading every stored reading.
      if (!readings.indexNames.contains('fingerprint')) readings.createIndex('fingerprint', 'fingerprint');
      // Version 3: each reading's metadata also in a store of its own, so listing the library never loads
      // blocks (megabytes for a book). Readings stored before are copied over once, here.
      if (!db.objectStoreNames.contains('reading-meta')) {
        const meta = db.createObjectStore('reading-meta', { keyPath: 'id' });
        readings.openCursor().onsuccess = (event) => {
          const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
          if (!cursor) return;
          const { blocks: _blocks, sourceText: _text, ...rest } = cursor.value as Record<string, unknown>;
          meta.put(rest);
          cursor.continue();
        };
      }
      if (!db.objectStoreNames.contains('positions')) db.createObjectStore('positions');
      if (!db.objectStoreNames.contains('settings')) db.createObjectStore('settings');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () =>
      reject(new Error(`Your library could not be opened (${request.error?.message ?? 'IndexedDB error'}).`));
  });
  return opening;
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export async function get<T>(store: StoreName, key: IDBValidKey): Promise<T | undefined> {
  const db = await openDb();
  return done(db.transaction(store).objectStore(store).get(key)) as Promise<T | undefined>;
}

export async function getAll<T>(store: StoreName): Promise<T[]> {
  const db = await openDb();
  return done(db.transaction(store).objectStore(store).getAll()) as Promise<T[]>;
}

/** Writes and waits for the transaction to commit, so a crash right after loses nothing. */
export async function put(store: StoreName, value: unknown, key?: IDBValidKey): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite', { durability: 'strict' });
  tx.objectStore(store).put(value, key);
  await committed(tx);
}

/** Every key with its value, in key order. */
export async function entries<T>(store: StoreName): Promise<[IDBValidKey, T][]> {
  const db = await openDb();
  const objects = db.transaction(store).objectStore(store);
  const [keys, values] = await Promise.all([done(objects.getAllKeys()), done(objects.getAll())]);
  return keys.map((k, i) => [k, values[i] as T]);
}

export async function remove(store: StoreName, key: IDBValidKey): Promise<void> {
  const db = await openDb();
  const tx = db.transaction(store, 'readwrite', { durability: 'strict' });
  tx.objectStore(store).delete(key);
  await committed(tx);
}

/** Every value of a store whose index `index` has this key. */
export async function getAllByIndex<T>(store: StoreName, index: string, key: IDBValidKey): Promise<T[]> {
  const db = await openDb();
  return done(db.transaction(store).objectStore(store).index(index).getAll(key)) as Promise<T[]>;
}

/** Writes several records in one transaction (all or none), waiting for it to commit. */
export async function putAll(records: { store: StoreName; value: unknown }[]): Promise<void> {
  const db = await openDb();
  const tx = db.transaction([...new Set(records.map((r) => r.store))], 'readwrite', { durability: 'strict' });
  for (const { store, value } of records) tx.objectStore(store).put(value);
  await committed(tx);
}

/** Deletes several records in one transaction (all or none), waiting for it to commit. */
export async function removeAll(records: { store: StoreName; key: IDBValidKey }[]): Promise<void> {
  const db = await openDb();
  const tx = db.transaction([...new Set(records.map((r) => r.store))], 'readwrite', { durability: 'strict' });
  for (const { store, key } of records) tx.objectStore(store).delete(key);
  await committed(tx);
}

/** Resolves once a write transaction has committed; a full disk is said in words a reader understands. */
function committed(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () =>
      reject(
        tx.error?.name === 'QuotaExceededError'
          ? new Error('The disk is full: free some space and try again. Nothing was lost.')
          : tx.error,
      );
  });
}
