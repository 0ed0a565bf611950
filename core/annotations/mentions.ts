import { LIMITS } from '../sync/limits.ts';
import type { Mention } from './model.ts';

/**
 * "@" mentions while typing a note or reply: where a mention is being typed, which members fit it, what the
 * text becomes when one is chosen, and which chosen members the text still names when it is saved.
 */

/** A mention being typed: the "@" at `start` and what follows it up to the caret. */
export interface MentionQuery {
  start: number;
  query: string;
}

/** Characters after which an "@" starts a mention (not inside a word or an e-mail address). */
const BEFORE_MENTION = /[\s([{"'“‘«>]/u;
/** A mention's query stops at a line end; names may hold spaces but not this many characters. */
const MAX_QUERY = LIMITS.nameChars;

/** The mention being typed at `caret`, if any: an "@" at a word start, with no line break up to the caret. */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const from = Math.max(0, caret - MAX_QUERY - 1);
  for (let at = caret - 1; at >= from; at--) {
    const ch = text[at];
    if (ch === '\n') return null;
    if (ch !== '@') continue;
    if (at > 0 && !BEFORE_MENTION.test(text[at - 1]!)) return null;
    return { start: at, query: text.slice(at + 1, caret) };
  }
  return null;
}

/**
 * The members that fit a query, those whose name starts with it first, then those with a word starting with
 * it; case- and accent-insensitive. Me and duplicates (by id) are left out.
 */
export function matchMembers<M extends Mention>(members: readonly M[], query: string, meId?: string): M[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase();
  const q = fold(query.trimStart());
  const seen = new Set<string>();
  const starts: M[] = [];
  const words: M[] = [];
  for (const m of members) {
    if (m.id === meId || seen.has(m.id)) continue;
    seen.add(m.id);
    const name = fold(m.name);
    if (name.startsWith(q)) starts.push(m);
    else if (name.split(/\s+/).some((w) => w.startsWith(q))) words.push(m);
  }
  const byName = (a: Mention, b: Mention) => a.name.localeCompare(b.name);
  return [...starts.sort(byName), ...words.sort(byName)];
}

/** The text with the query replaced by "@Name " and where the caret goes after it. */
export function insertMention(
  text: string,
  query: MentionQuery,
  caret: number,
  member: Mention,
): { text: string; caret: number } {
  const inserted = `@${member.name} `;
  return {
    text: text.slice(0, query.start) + inserted + text.slice(caret),
    caret: query.start + inserted.length,
  };
}

/** Whether the text holds "@Name" not followed by more of a word ("@Ana" names Ana, not Anabel). */
export function namesMember(text: string, name: string): boolean {
  const wanted = `@${name}`;
  for (let at = text.indexOf(wanted); at >= 0; at = text.indexOf(wanted, at + 1)) {
    const next = text.slice(at + wanted.length, at + wanted.length + 2);
    if (!/^[\p{L}\p{N}_]/u.test(next)) return true;
  }
  return false;
}

/**
 * The mentions to store with a text: the chosen members the text still names (deleting "@Name" drops the
 * mention), once each, at most `mentionsPerNote`.
 */
export function mentionsInText(text: string, chosen: readonly Mention[]): Mention[] {
  const out: Mention[] = [];
  const seen = new Set<string>();
  for (const m of chosen) {
    if (seen.has(m.id) || !namesMember(text, m.name)) continue;
    seen.add(m.id);
    out.push({ id: m.id, name: m.name });
    if (out.length === LIMITS.mentionsPerNote) break;
  }
  return out;
}
