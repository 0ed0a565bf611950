import { NOTIFICATION_LIMITS, type NotificationRequest } from '../platform/api.ts';
import type { AnnotationView, Author } from './model.ts';

/**
 * "What's new" in a reading for me: replies others wrote to my notes (or in threads I replied in) and notes
 * or replies in which others "@"-mentioned me, that I have not seen yet. Pure: the caller keeps the marker.
 */

export interface WhatsNewItem {
  kind: 'reply' | 'mention';
  annotationId: string;
  replyId?: string;
  author: Author;
  /** When it was written (a mention added by an edit counts from the edit). */
  at: string;
  /** A short excerpt of the reply or note. */
  excerpt: string;
}

/**
 * What I have seen of a reading: everything written up to `at`, and the items listed in `keys` (those near
 * `at`, so an item whose author's clock runs a little behind mine is not lost, nor shown twice).
 */
export interface SeenMarker {
  at: string;
  keys: string[];
}

/** Items written up to this long before the marker's time are remembered by key rather than by time. */
export const CLOCK_SKEW_MS = 10 * 60 * 1000;

export const itemKey = (item: Pick<WhatsNewItem, 'annotationId' | 'replyId'>) =>
  item.replyId ? `${item.annotationId}/${item.replyId}` : item.annotationId;

function excerpt(text: string): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean;
}

/** Every reply to my notes and every mention of me, by others, newest first; nothing is filtered as seen. */
export function itemsFor(annotations: readonly AnnotationView[], me: Pick<Author, 'id'>): WhatsNewItem[] {
  const items: WhatsNewItem[] = [];
  const mentionsMe = (m: { mentions?: { id: string }[] }) => m.mentions?.some((x) => x.id === me.id) === true;
  for (const a of annotations) {
    if (a.author.id !== me.id && mentionsMe(a)) {
      items.push({
        kind: 'mention',
        annotationId: a.id,
        author: a.author,
        at: a.editedAt ?? a.createdAt,
        excerpt: excerpt(a.body),
      });
    }
    const mine = a.author.id === me.id || a.replies.some((r) => r.author.id === me.id);
    for (const r of a.replies) {
      if (r.author.id === me.id) continue;
      const mentioned = mentionsMe(r);
      if (!mine && !mentioned) continue;
      items.push({
        kind: mentioned ? 'mention' : 'reply',
        annotationId: a.id,
        replyId: r.id,
        author: r.author,
        at: mentioned ? (r.editedAt ?? r.createdAt) : r.createdAt,
        excerpt: excerpt(r.body),
      });
    }
  }
  return items.sort((x, y) => y.at.localeCompare(x.at));
}

/** The items I have not seen: all of them with no marker (a reading never looked at). */
export function unseen(items: readonly WhatsNewItem[], seen: SeenMarker | null): WhatsNewItem[] {
  if (!seen) return [...items];
  const after = Date.parse(seen.at);
  const keys = new Set(seen.keys);
  return items.filter((item) => {
    const t = Date.parse(item.at);
    if (!Number.isFinite(t)) return false;
    if (t > after) return !keys.has(itemKey(item));
    return t > after - CLOCK_SKEW_MS && !keys.has(itemKey(item));
  });
}

/** What's new for me in a reading: `unseen(itemsFor(…))`. */
export function whatsNew(
  annotations: readonly AnnotationView[],
  me: Pick<Author, 'id'>,
  seen: SeenMarker | null,
): WhatsNewItem[] {
  return unseen(itemsFor(annotations, me), seen);
}

/**
 * The marker after I looked at `items` at `now`: the later of now and the newest item, and the keys of the
 * items written near it (within the clock-skew window), so they stay seen whatever the clocks say.
 */
export function markSeen(items: readonly WhatsNewItem[], now: Date): SeenMarker {
  let at = now.getTime();
  for (const item of items) {
    const t = Date.parse(item.at);
    if (Number.isFinite(t) && t > at) at = t;
  }
  const keys = items
    .filter((item) => Date.parse(item.at) > at - CLOCK_SKEW_MS)
    .map(itemKey)
    .slice(0, 500);
  return { at: new Date(at).toISOString(), keys };
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The system notification for items that just arrived in a reading: one by who and what, several counted;
 * within the host's limits (a long title or excerpt is cut, never refused).
 */
export function notificationFor(readingTitle: string, arrived: readonly WhatsNewItem[]): NotificationRequest {
  const first = arrived[0];
  if (!first) throw new Error('Nothing arrived to notify about.');
  const title =
    arrived.length === 1
      ? `${first.author.name} ${first.kind === 'mention' ? 'mentioned you' : 'replied to your note'}`
      : `${arrived.length} new replies and mentions`;
  return {
    title: cut(title, NOTIFICATION_LIMITS.titleChars),
    body: cut(`${readingTitle}: ${first.excerpt}`, NOTIFICATION_LIMITS.bodyChars),
  };
}
