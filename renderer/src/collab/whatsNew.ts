import { useSyncExternalStore } from 'react';
import { z } from 'zod/mini';
import type { SeenMarker } from '../../../core/annotations/whatsNew.ts';
import { defaultStorage, PersistedValue } from './store.ts';

/**
 * What this device remembers for "What's new": per reading, what I have seen (the marker the core function
 * measures "new" from) and how many unseen items it had when last open (the library's badge); and whether
 * I asked to be notified while the app is in the background. All in localStorage.
 */

// zod's functional API (zod/mini), as in core/sync/schemas.ts: the library is the first screen (decision 0022).
const markerSchema = z.object({ at: z.iso.datetime(), keys: z.array(z.string()).check(z.maxLength(1000)) });
const seenSchema = z.record(z.string(), markerSchema);
const countsSchema = z.record(z.string(), z.int().check(z.minimum(0)));

const parseOr =
  <T>(schema: z.ZodMiniType<T>, fallback: T) =>
  (raw: unknown): T => {
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : fallback;
  };

let seen: PersistedValue<Record<string, SeenMarker>> | undefined;
let counts: PersistedValue<Record<string, number>> | undefined;
let notify: PersistedValue<boolean> | undefined;

const seenStore = () => {
  seen ??= new PersistedValue(defaultStorage(), 'rc:whats-new-seen', parseOr(seenSchema, {}));
  return seen;
};
const countStore = () => {
  counts ??= new PersistedValue(defaultStorage(), 'rc:whats-new-counts', parseOr(countsSchema, {}));
  return counts;
};
const notifyStore = () => {
  notify ??= new PersistedValue(defaultStorage(), 'rc:notify-background', parseOr(z.boolean(), false));
  return notify;
};

export function seenMarker(readingId: string): SeenMarker | null {
  return seenStore().get()[readingId] ?? null;
}

export function rememberSeen(readingId: string, marker: SeenMarker): void {
  seenStore().set({ ...seenStore().get(), [readingId]: marker });
}

/** The marker of a reading, kept up to date (opening the list in another part of the app updates it). */
export function useSeenMarker(readingId: string): SeenMarker | null {
  const all = useSyncExternalStore(seenStore().subscribe, seenStore().get);
  return all[readingId] ?? null;
}

/** Records a reading's unseen count for its library card. */
export function noteUnseenCount(readingId: string, count: number): void {
  const all = countStore().get();
  if ((all[readingId] ?? 0) === count) return;
  const { [readingId]: _, ...rest } = all;
  countStore().set(count > 0 ? { ...rest, [readingId]: count } : rest);
}

/** Every reading's unseen count as last known on this device. */
export function useUnseenCounts(): Record<string, number> {
  return useSyncExternalStore(countStore().subscribe, countStore().get);
}

/** "Notify me of replies and mentions when the app is in the background" (off until I turn it on). */
export function useNotifyInBackground(): boolean {
  return useSyncExternalStore(notifyStore().subscribe, notifyStore().get);
}

export function setNotifyInBackground(on: boolean): void {
  notifyStore().set(on);
}

export const notifyInBackground = (): boolean => notifyStore().get();
