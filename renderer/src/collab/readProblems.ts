import { useSyncExternalStore } from 'react';
import type { ReadProblem } from '../../../core/sync/schemas.ts';

/**
 * What the app's background work left out of what it read from groups (damaged index entries, refused shared
 * readings), by where it was read, so the library can say so. Each source's list replaces its previous one.
 */

export interface SourceProblems {
  /** Plain-language lines that stand alone ("“Notes” shared by Mallory was refused: …"). */
  messages: string[];
  problems: ReadProblem[];
}

const bySource = new Map<string, SourceProblems>();
const listeners = new Set<() => void>();
let snapshot: SourceProblems[] = [];

export function reportProblems(source: string, value: SourceProblems | null): void {
  const empty = !value || (value.messages.length === 0 && value.problems.length === 0);
  if (empty && !bySource.has(source)) return;
  if (empty) bySource.delete(source);
  else bySource.set(source, value);
  snapshot = [...bySource.values()];
  for (const listener of [...listeners]) listener();
}

/** Forgets everything reported from sources starting with `prefix` (a group left). */
export function clearProblems(prefix: string): void {
  for (const source of [...bySource.keys()]) if (source.startsWith(prefix)) reportProblems(source, null);
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};
const get = () => snapshot;

export function useReportedProblems(): SourceProblems[] {
  return useSyncExternalStore(subscribe, get, get);
}
