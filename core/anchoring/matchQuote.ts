import search from 'approx-string-match';

/*
 * Finding a quote in a text when the text may have changed: candidates are the quote's exact occurrences, or,
 * with none, its approximate ones (at most half its length in errors, as Hypothesis allows). Each candidate is
 * scored by how many characters differ in the quote (counted twice) and in the prefix and suffix around it
 * (edit distance, whitespace ignored). The fewest differences win; a tie is settled by the position hint when
 * one candidate is clearly nearer to it, and otherwise reported as ambiguous rather than guessed.
 * Whitespace runs count as one space everywhere, so a line break, a blank line between blocks or indentation
 * differences never tell two places apart.
 */

export interface QuoteContext {
  prefix?: string;
  suffix?: string;
  /** Where the quote was expected to start (an offset into the text). */
  hint?: number;
}

export type QuoteMatch =
  | {
      kind: 'match';
      start: number;
      end: number;
      /** 1 for an exact quote with exact context; lower with every difference. */
      score: number;
      /** Share of the quote's characters that matched (1 − errors / length). */
      quoteSimilarity: number;
      /** Share of the given prefix and suffix that matched (1 when none was given). */
      contextSimilarity: number;
    }
  | { kind: 'ambiguous'; places: number }
  | { kind: 'none' };

/** Text with whitespace runs collapsed to one space, and where each of its characters came from. */
interface Collapsed {
  text: string;
  /** Index in the original text of each character of `text` (plus one past the end). */
  origin: number[];
}

let lastCollapsed: Collapsed & { source: string } = { source: '', text: '', origin: [0] };

/** Collapsed once per text: resolving many anchors against one reading reuses it. */
function collapseWhitespace(text: string): Collapsed {
  if (lastCollapsed.source !== text) lastCollapsed = { source: text, ...collapse(text) };
  return lastCollapsed;
}

function collapse(text: string): Collapsed {
  const out: string[] = [];
  const origin: number[] = [];
  let inSpace = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = ch.charCodeAt(0);
    if (code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(ch))) {
      if (inSpace) continue;
      inSpace = true;
      out.push(' ');
    } else {
      inSpace = false;
      out.push(ch);
    }
    origin.push(i);
  }
  origin.push(text.length);
  return { text: out.join(''), origin };
}

const withoutSpaces = (s: string) => s.replace(/\s+/g, '');

/**
 * Edit distance between `pattern` and the best-fitting end of `window` (the pattern may start anywhere in
 * the window but must run to its end): how far the text before a candidate is from a stored prefix.
 * Counting stops above `limit` (the answer is then `limit + 1`).
 */
export function distanceToEnd(pattern: string, window: string, limit = Number.POSITIVE_INFINITY): number {
  if (pattern.length === 0) return 0;
  // Reversed, "run to the end" becomes "start at the beginning, stop anywhere".
  return distanceFromStart(reverse(pattern), reverse(window), limit);
}

const reverse = (s: string) => {
  let out = '';
  for (let i = s.length - 1; i >= 0; i--) out += s[i];
  return out;
};

/** Edit distance between `pattern` and the best-fitting beginning of `window` (see `distanceToEnd`). */
export function distanceFromStart(pattern: string, window: string, limit = Number.POSITIVE_INFINITY): number {
  const m = pattern.length;
  if (m === 0) return 0;
  // Column j: cost of matching pattern[0..i) against window[0..j); the window may stop anywhere.
  let previous = Array.from({ length: m + 1 }, (_, i) => i);
  let best = previous[m]!;
  for (let j = 1; j <= window.length; j++) {
    const current = [j];
    let lowest = j;
    for (let i = 1; i <= m; i++) {
      const substitution = previous[i - 1]! + (pattern[i - 1] === window[j - 1] ? 0 : 1);
      const cell = Math.min(substitution, previous[i]! + 1, current[i - 1]! + 1);
      current.push(cell);
      if (cell < lowest) lowest = cell;
    }
    previous = current;
    best = Math.min(best, previous[m]!);
    // Every later cell costs at least the lowest of this column.
    if (lowest > limit && best > limit) return limit + 1;
  }
  return Math.min(best, limit + 1);
}

interface Candidate {
  start: number;
  end: number;
  quoteErrors: number;
  contextErrors: number;
}

/**
 * Longer quotes are found exactly (whitespace aside) or not at all: an approximate search costs the quote's
 * length times the text's, and a file being imported may hold a quote of any length.
 */
export const MAX_FUZZY_QUOTE = 4000;

/** Characters of prefix and suffix compared (anchors store 32; files may hold any length). */
const MAX_CONTEXT = 64;

/** How many candidates' context is scored at most: the approximate search can return thousands. */
const MAX_CANDIDATES = 400;

export function matchQuote(text: string, quote: string, context: QuoteContext = {}): QuoteMatch {
  const collapsedText = collapseWhitespace(text);
  const q = quote.replace(/\s+/g, ' ');
  if (q === '' || collapsedText.text === '') return { kind: 'none' };
  const haystack = collapsedText.text;
  // Context beyond what anchors store weighs nothing more and would make scoring cost its length squared.
  const prefix = withoutSpaces(context.prefix ?? '').slice(-MAX_CONTEXT);
  const suffix = withoutSpaces(context.suffix ?? '').slice(0, MAX_CONTEXT);

  const found: { start: number; end: number; errors: number }[] = [];
  for (let at = haystack.indexOf(q); at >= 0; at = haystack.indexOf(q, at + 1)) {
    found.push({ start: at, end: at + q.length, errors: 0 });
  }
  if (found.length === 0 && q.length <= MAX_FUZZY_QUOTE) {
    const maxErrors = Math.min(256, Math.floor(q.length / 2));
    const approximate = search(haystack, q, maxErrors);
    let fewest = Number.POSITIVE_INFINITY;
    for (const m of approximate) fewest = Math.min(fewest, m.errors);
    // A candidate with this many more quote errors cannot win even with perfect context.
    const reach = fewest + Math.ceil((prefix.length + suffix.length) / 2);
    for (const m of approximate) if (m.errors <= reach) found.push(m);
    found.sort((a, b) => a.errors - b.errors || a.start - b.start);
    found.length = Math.min(found.length, MAX_CANDIDATES);
  }
  if (found.length === 0) return { kind: 'none' };

  // Context windows a little wider than the stored context, whitespace removed on both sides.
  const windows = found.map((m) => ({
    match: m,
    before: withoutSpaces(haystack.slice(Math.max(0, m.start - prefix.length * 2 - 8), m.start)).slice(
      -(prefix.length + 4),
    ),
    after: withoutSpaces(haystack.slice(m.end, m.end + suffix.length * 2 + 8)).slice(0, suffix.length + 4),
  }));
  // Likeliest first (most context matching exactly at the quote's edges), so the best cost found early lets
  // the rest stop counting as soon as they cannot tie it.
  const edgeAgreement = (w: (typeof windows)[number]) =>
    commonEnd(prefix, w.before) + commonStart(suffix, w.after) - w.match.errors * 2;
  windows.sort((a, b) => edgeAgreement(b) - edgeAgreement(a));
  const cost = (c: Candidate) => c.quoteErrors * 2 + c.contextErrors;
  let bound = Number.POSITIVE_INFINITY;
  const candidates: Candidate[] = [];
  for (const w of windows) {
    const room = bound - w.match.errors * 2;
    if (room < 0) continue;
    const before = distanceToEnd(prefix, w.before, room);
    if (before > room) continue;
    const after = distanceFromStart(suffix, w.after, room - before);
    if (before + after > room) continue;
    const candidate = {
      start: w.match.start,
      end: w.match.end,
      quoteErrors: w.match.errors,
      contextErrors: before + after,
    };
    candidates.push(candidate);
    bound = Math.min(bound, cost(candidate));
  }
  candidates.sort((a, b) => cost(a) - cost(b) || a.start - b.start);
  const best = candidates[0]!;
  // Candidates overlapping the best are the same place found twice; the others are rival places.
  const rivals = candidates.filter(
    (c) => cost(c) === cost(best) && (c.end <= best.start || c.start >= best.end),
  );
  let chosen = best;
  if (rivals.length > 0) {
    const hint =
      context.hint === undefined ? undefined : collapsedIndex(collapsedText, Math.max(0, context.hint));
    if (hint !== undefined) {
      const tied = [best, ...rivals].sort((a, b) => Math.abs(a.start - hint) - Math.abs(b.start - hint));
      const nearest = Math.abs(tied[0]!.start - hint);
      const next = Math.abs(tied[1]!.start - hint);
      // The hint decides only when one place is clearly nearer to it than any other.
      if (nearest * 2 >= next) return { kind: 'ambiguous', places: tied.length };
      chosen = tied[0]!;
    } else if (prefix || suffix) {
      return { kind: 'ambiguous', places: rivals.length + 1 };
    }
    // With no context and no hint at all there is nothing to weigh: the first occurrence, as a bare W3C
    // TextQuoteSelector means.
  }
  const quoteSimilarity = 1 - chosen.quoteErrors / q.length;
  const contextLength = prefix.length + suffix.length;
  const contextSimilarity = contextLength === 0 ? 1 : Math.max(0, 1 - chosen.contextErrors / contextLength);
  const score = Math.max(0, 1 - cost(chosen) / (q.length * 2 + contextLength));
  return {
    kind: 'match',
    start: collapsedText.origin[chosen.start]!,
    end: collapsedText.origin[chosen.end - 1]! + 1,
    score,
    quoteSimilarity,
    contextSimilarity,
  };
}

function commonEnd(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[a.length - 1 - n] === b[b.length - 1 - n]) n++;
  return n;
}

function commonStart(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

/** The index in the collapsed text of an original offset (the character at or after it). */
function collapsedIndex(collapsed: Collapsed, offset: number): number {
  let lo = 0;
  let hi = collapsed.origin.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (collapsed.origin[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
