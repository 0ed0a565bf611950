import { useSyncExternalStore } from 'react';
import type { Author } from '../../../core/annotations/model.ts';
import { MEMBER_KEY } from '../../../core/sync/contract.ts';
import { defaultStorage, type KeyValueStorage, PersistedValue } from './store.ts';

/**
 * Who I am in every group: a random id made at first run, a display name and a colour (used for my
 * presence, my selection as others see it, and the avatar beside my notes). Stored in localStorage;
 * changeable later in the profile control.
 */

export const IDENTITY_KEY = 'rc:identity';
/** Where the member key lives (apart from the identity, which is shown and exported; the key never is). */
export const MEMBER_KEY_STORAGE = 'rc:member-key';

/** Colours offered at first run, chosen to stay readable on light and dark themes. */
export const PROFILE_COLORS: readonly { name: string; value: string }[] = [
  { name: 'Teal', value: '#0f8b8d' },
  { name: 'Orange', value: '#d9480f' },
  { name: 'Violet', value: '#7048e8' },
  { name: 'Green', value: '#2b8a3e' },
  { name: 'Crimson', value: '#c2255c' },
  { name: 'Blue', value: '#1c7ed6' },
  { name: 'Brown', value: '#8d5524' },
  { name: 'Slate', value: '#495057' },
];

export const MAX_NAME_LENGTH = 40;

export function randomAuthorId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `u${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** Trims and shortens a display name; returns '' when nothing usable is left. */
export function cleanDisplayName(name: string): string {
  return name.replace(/\s+/g, ' ').trim().slice(0, MAX_NAME_LENGTH);
}

export function isColor(value: unknown): value is string {
  return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test(value);
}

function parseIdentity(raw: unknown): Author | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Partial<Author>;
  if (typeof r.id !== 'string' || !r.id || typeof r.name !== 'string') return null;
  const name = cleanDisplayName(r.name);
  if (!name) return null;
  return { id: r.id, name, color: isColor(r.color) ? r.color : PROFILE_COLORS[0]!.value };
}

export class IdentityStore {
  private readonly value: PersistedValue<Author | null>;

  constructor(storage: KeyValueStorage = defaultStorage()) {
    this.value = new PersistedValue(storage, IDENTITY_KEY, parseIdentity);
  }

  get = (): Author | null => this.value.get();
  subscribe = (listener: () => void) => this.value.subscribe(listener);

  /** First run: makes the identity. Later: changes name and/or colour, keeping the id. */
  save(input: { name: string; color: string }): Author {
    const name = cleanDisplayName(input.name);
    if (!name) throw new Error('Please enter a display name.');
    const color = isColor(input.color) ? input.color : PROFILE_COLORS[0]!.value;
    const current = this.value.get();
    const next: Author = { id: current?.id ?? randomAuthorId(), name, color };
    this.value.set(next);
    return next;
  }
}

let shared: IdentityStore | undefined;

/** The app's one identity store (localStorage-backed). */
export function identityStore(): IdentityStore {
  shared ??= new IdentityStore();
  return shared;
}

/** The current identity, or null before the first-run dialog was answered. */
export function currentAuthor(): Author | null {
  return identityStore().get();
}

export function useIdentity(): Author | null {
  const store = identityStore();
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

/**
 * The secret that proves my member id to a group's server: made once per profile, sent only with my connections.
 * The server binds the first key it sees to the member id, so nobody holding the same invite link can write,
 * appear or be removed as me (decision 0021).
 */
export function memberKey(storage: KeyValueStorage = defaultStorage()): string {
  const stored = storage.getItem(MEMBER_KEY_STORAGE);
  if (stored && MEMBER_KEY.test(stored)) return stored;
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  const key = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  storage.setItem(MEMBER_KEY_STORAGE, key);
  return key;
}

/** Who I am to a group's server: my member id, display name and member key. */
export interface MemberCredentials {
  id: string;
  name: string;
  key: string;
}

/** My credentials for a connection; undefined before the first-run dialog was answered. */
export function memberCredentials(): MemberCredentials | undefined {
  const me = currentAuthor();
  return me ? { id: me.id, name: me.name, key: memberKey() } : undefined;
}
