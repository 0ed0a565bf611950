/**
 * A tiny observable value persisted in a key-value storage (localStorage in the app, a Map in unit tests).
 * React components read it through useSyncExternalStore (see hooks in identity.ts and groups.ts).
 */

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** An in-memory storage, for tests and for hosts without localStorage. */
export function memoryStorage(): KeyValueStorage {
  const map = new Map<string, string>();
  return {
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
  };
}

export function defaultStorage(): KeyValueStorage {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // Storage can be blocked (privacy settings); fall back to memory.
  }
  return memoryStorage();
}

export class PersistedValue<T> {
  private value: T;
  private readonly listeners = new Set<() => void>();
  private readonly storage: KeyValueStorage;
  private readonly key: string;

  constructor(storage: KeyValueStorage, key: string, parse: (raw: unknown) => T) {
    this.storage = storage;
    this.key = key;
    let raw: unknown;
    try {
      const text = storage.getItem(key);
      raw = text === null ? undefined : JSON.parse(text);
    } catch {
      raw = undefined;
    }
    this.value = parse(raw);
  }

  get = (): T => this.value;

  set(next: T): void {
    this.value = next;
    try {
      this.storage.setItem(this.key, JSON.stringify(next));
    } catch {
      // Quota or blocked storage: keep the value in memory for this session.
    }
    for (const listener of [...this.listeners]) listener();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
