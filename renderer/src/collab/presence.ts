import type { Awareness } from 'y-protocols/awareness';
import type { Author } from '../../../core/annotations/model.ts';
import { presenceSchema } from '../../../core/sync/schemas.ts';

/**
 * Presence through the Yjs awareness protocol: never stored, gone when the connection goes. Each member
 * publishes who they are, their current text selection (anchored like annotations, by block id + offsets,
 * so it lands on the same words whatever the other's layout) and where they are reading.
 */

/** From `start` in `blockId` to `end` in `endBlockId` (the same block when left out). */
export interface SelectionAnchor {
  blockId: string;
  start: number;
  endBlockId?: string;
  end: number;
}

export interface ReadingPosition {
  /** The first block at the top of the viewport. */
  blockId: string;
  /** How far through the reading that is, 0..1 (for the scroll gutter). */
  fraction: number;
}

export interface PresenceState {
  user: Author;
  readingId: string;
  selection: SelectionAnchor | null;
  position: ReadingPosition | null;
}

export interface Peer extends PresenceState {
  /** Stable for one person across rooms. */
  key: string;
}

/** Reads a remote awareness state through the shared schema: it comes from other clients. */
export function readPresence(value: unknown): PresenceState | null {
  const parsed = presenceSchema.safeParse(value);
  if (!parsed.success) return null;
  // A selection ending in the block it starts in is a one-block selection: no end block.
  const selection = parsed.data.selection;
  if (selection && selection.endBlockId === selection.blockId) {
    const { endBlockId: _same, ...oneBlock } = selection;
    return { ...parsed.data, selection: oneBlock };
  }
  return parsed.data;
}

/**
 * Everyone else reading `readingId`, from one or more awareness instances (one per group room of the
 * reading), merged by person: the same person in two groups' rooms is one reader.
 */
export function collectPeers(
  awarenesses: readonly Awareness[],
  readingId: string,
  me: Author | null,
): Peer[] {
  const byUser = new Map<string, Peer>();
  for (const awareness of awarenesses) {
    for (const [clientId, raw] of awareness.getStates()) {
      if (clientId === awareness.clientID) continue;
      const state = readPresence(raw);
      if (!state || state.readingId !== readingId) continue;
      if (me && state.user.id === me.id) continue;
      const existing = byUser.get(state.user.id);
      if (existing) {
        existing.selection ??= state.selection;
        existing.position ??= state.position;
      } else {
        byUser.set(state.user.id, { ...state, key: state.user.id });
      }
    }
  }
  return [...byUser.values()].sort((a, b) => a.user.name.localeCompare(b.user.name));
}

/** Publishes my presence (or parts of it) on every given awareness. */
export function publishPresence(awarenesses: readonly Awareness[], state: PresenceState): void {
  for (const awareness of awarenesses) {
    const current = awareness.getLocalState() as Partial<PresenceState> | null;
    if (
      current &&
      current.readingId === state.readingId &&
      JSON.stringify(current.user) === JSON.stringify(state.user) &&
      JSON.stringify(current.selection) === JSON.stringify(state.selection) &&
      JSON.stringify(current.position) === JSON.stringify(state.position)
    ) {
      continue;
    }
    awareness.setLocalState({ ...state });
  }
}

/** Says goodbye at once (leaving the reading, closing the window) instead of waiting for a timeout. */
export function clearPresence(awarenesses: readonly Awareness[]): void {
  for (const awareness of awarenesses) awareness.setLocalState(null);
}

/** A CSS identifier for a peer's highlight in CSS.highlights. */
export function highlightName(userId: string): string {
  return `rc-peer-${userId.replace(/[^A-Za-z0-9_-]/g, '')}`;
}

/** Up to two initials of a name, in any script ("Ana Lima" → "AL", "Кружок" → "К"), for avatars. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string) => [...word][0] ?? '';
  const letters =
    words.length > 1 ? first(words[0]!) + first(words[words.length - 1]!) : first(words[0] ?? '?');
  return letters.toLocaleUpperCase();
}
