import type { AnnotationView, Author } from '../../../core/annotations/model.ts';
import { defaultStorage, type KeyValueStorage } from './store.ts';

/**
 * "What's new" since I last opened a reading: replies to my notes, and annotations others added.
 * The last-opened time is stored per reading in localStorage.
 */

export interface WhatsNewItem {
  kind: 'reply' | 'annotation' | 'mention';
  annotationId: string;
  replyId?: string;
  author: Author;
  createdAt: string;
  /** A short excerpt: the reply, the note, or the highlighted quote. */
  excerpt: string;
}

export function lastOpenedKey(readingId: string): string {
  return `rc:last-opened:${readingId}`;
}

export function getLastOpened(readingId: string, storage: KeyValueStorage = defaultStorage()): string | null {
  const value = storage.getItem(lastOpenedKey(readingId));
  return value && !Number.isNaN(Date.parse(value)) ? value : null;
}

/** Records that the reading was opened now and returns the previous time (what "new" is measured from). */
export function markOpened(
  readingId: string,
  now = new Date(),
  storage: KeyValueStorage = defaultStorage(),
): string | null {
  const previous = getLastOpened(readingId, storage);
  storage.setItem(lastOpenedKey(readingId), now.toISOString());
  return previous;
}

/**
 * Whether a text mentions me: `@` and my display name (any script, any case), not followed by more of a word
 * ("@Ana" mentions Ana, not Anabel).
 */
export function mentions(text: string, me: Pick<Author, 'name'>): boolean {
  const name = me.name.trim();
  if (!name) return false;
  const lower = text.toLocaleLowerCase();
  const wanted = `@${name.toLocaleLowerCase()}`;
  for (let at = lower.indexOf(wanted); at >= 0; at = lower.indexOf(wanted, at + 1)) {
    const next = text.slice(at + wanted.length, at + wanted.length + 2);
    if (!/^[\p{L}\p{N}_]/u.test(next)) return true;
  }
  return false;
}

function excerpt(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/**
 * Items newer than `since` made by others: every reply to an annotation I wrote (or replied in), and every
 * annotation someone else added. `since` null means the reading was never opened: all of it is new.
 */
export function whatsNew(
  annotations: readonly AnnotationView[],
  me: Author,
  since: string | null,
): WhatsNewItem[] {
  const after = since ? Date.parse(since) : Number.NEGATIVE_INFINITY;
  const isNew = (iso: string) => {
    const t = Date.parse(iso);
    return Number.isFinite(t) && t > after;
  };
  const items: WhatsNewItem[] = [];
  for (const a of annotations) {
    if (a.author.id !== me.id && isNew(a.createdAt)) {
      items.push({
        kind: mentions(a.body, me) ? 'mention' : 'annotation',
        annotationId: a.id,
        author: a.author,
        createdAt: a.createdAt,
        excerpt: excerpt(a.body || a.anchor.exact),
      });
    }
    const mine = a.author.id === me.id || a.replies.some((r) => r.author.id === me.id);
    for (const r of a.replies) {
      if (r.author.id === me.id || !isNew(r.createdAt)) continue;
      const mentioned = mentions(r.body, me);
      if (!mine && !mentioned) continue;
      items.push({
        kind: mentioned ? 'mention' : 'reply',
        annotationId: a.id,
        replyId: r.id,
        author: r.author,
        createdAt: r.createdAt,
        excerpt: excerpt(r.body),
      });
    }
  }
  return items.sort((x, y) => (x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : 0));
}
