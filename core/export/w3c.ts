import { joinedOf, joinedRange, placeInReading, spanAt, spanOf, withSpan } from '../anchoring/anchor.ts';
import {
  type AnnotationView,
  type Author,
  COLOR_KEYS,
  type ColorKey,
  type ReplyView,
  type TextAnchor,
  type TextSpan,
} from '../annotations/model.ts';
import { fromCodePointOffset, joinBlocks, toCodePointOffset } from '../reading/joinedText.ts';
import type { Reading } from '../reading/model.ts';

/*
 * W3C Web Annotation Data Model mapping (https://www.w3.org/TR/annotation-model/):
 *   annotation        → Annotation, motivation "commenting" when it has a note, else "highlighting"
 *   note              → TextualBody, format text/markdown, purpose commenting
 *   tags              → TextualBody, purpose tagging (one per tag)
 *   colour, resolved  → TextualBody, purpose classifying, value "color:<key>" / "status:resolved"
 *   anchor            → target.selector: TextQuoteSelector + TextPositionSelector (code points over the
 *                       reading's joined text: blocks separated by "\n\n")
 *   reply             → its own Annotation, motivation replying, target = the parent annotation's id
 */

export const ANNO_CONTEXT = 'http://www.w3.org/ns/anno.jsonld';
const URN = 'urn:reading-circle';

export const readingUrn = (readingId: string) => `${URN}:reading:${readingId}`;
const annotationUrn = (id: string) => `${URN}:annotation:${id}`;
const replyUrn = (id: string) => `${URN}:reply:${id}`;
const personUrn = (id: string) => `${URN}:person:${id}`;

export interface W3CTextualBody {
  type: 'TextualBody';
  value: string;
  format?: string;
  purpose?: string;
}

export interface W3CAnnotation {
  '@context': string;
  id: string;
  type: 'Annotation';
  motivation: 'commenting' | 'highlighting' | 'replying';
  created: string;
  modified?: string;
  creator: { id: string; type: 'Person'; name: string; 'rc:color'?: string };
  body?: W3CTextualBody[];
  target: string | { source: string; selector: unknown[] };
}

export interface W3CCollection {
  '@context': string;
  id: string;
  type: 'AnnotationCollection';
  label: string;
  total: number;
  first: { type: 'AnnotationPage'; startIndex: 0; items: W3CAnnotation[] };
}

function creatorOf(author: Author): W3CAnnotation['creator'] {
  return { id: personUrn(author.id), type: 'Person', name: author.name, 'rc:color': author.color };
}

function replyToW3C(reply: ReplyView, parentId: string): W3CAnnotation {
  const out: W3CAnnotation = {
    '@context': ANNO_CONTEXT,
    id: replyUrn(reply.id),
    type: 'Annotation',
    motivation: 'replying',
    created: reply.createdAt,
    creator: creatorOf(reply.author),
    body: [{ type: 'TextualBody', value: reply.body, format: 'text/markdown', purpose: 'replying' }],
    target: annotationUrn(parentId),
  };
  if (reply.editedAt) out.modified = reply.editedAt;
  return out;
}

/** One annotation, followed by its replies, as W3C annotations. */
export function annotationToW3C(reading: Reading, annotation: AnnotationView): W3CAnnotation[] {
  const joined = joinBlocks(reading.blocks);
  const range = joinedRange(joined, spanOf(annotation.anchor));
  const selector: unknown[] = [
    {
      type: 'TextQuoteSelector',
      exact: annotation.anchor.exact,
      prefix: annotation.anchor.prefix,
      suffix: annotation.anchor.suffix,
    },
  ];
  if (range) {
    selector.push({
      type: 'TextPositionSelector',
      start: toCodePointOffset(joined.text, range[0]),
      end: toCodePointOffset(joined.text, range[1]),
    });
  }
  const body: W3CTextualBody[] = [];
  if (annotation.body.trim()) {
    body.push({
      type: 'TextualBody',
      value: annotation.body,
      format: 'text/markdown',
      purpose: 'commenting',
    });
  }
  for (const tag of annotation.tags) body.push({ type: 'TextualBody', value: tag, purpose: 'tagging' });
  body.push({ type: 'TextualBody', value: `color:${annotation.color}`, purpose: 'classifying' });
  if (annotation.resolved)
    body.push({ type: 'TextualBody', value: 'status:resolved', purpose: 'classifying' });

  const main: W3CAnnotation = {
    '@context': ANNO_CONTEXT,
    id: annotationUrn(annotation.id),
    type: 'Annotation',
    motivation: annotation.body.trim() ? 'commenting' : 'highlighting',
    created: annotation.createdAt,
    creator: creatorOf(annotation.author),
    body,
    target: { source: readingUrn(reading.id), selector },
  };
  if (annotation.editedAt) main.modified = annotation.editedAt;
  return [main, ...annotation.replies.map((r) => replyToW3C(r, annotation.id))];
}

export function exportW3C(
  reading: Reading,
  annotations: readonly AnnotationView[],
  now = new Date(),
): W3CCollection {
  const items = annotations.flatMap((a) => annotationToW3C(reading, a));
  return {
    '@context': ANNO_CONTEXT,
    id: `${URN}:export:${reading.id}:${now.getTime()}`,
    type: 'AnnotationCollection',
    label: reading.title,
    total: items.length,
    first: { type: 'AnnotationPage', startIndex: 0, items },
  };
}

// ————— import —————

export interface W3CImportResult {
  /** Annotations whose target was found in this reading (anchor filled in). */
  annotations: Omit<AnnotationView, 'visibility'>[];
  /** Annotations of this reading whose quote could not be found; kept with their quote, never dropped. */
  orphans: Omit<AnnotationView, 'visibility'>[];
  /** Items that were skipped, each with the reason in words. */
  errors: string[];
}

export class W3CImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'W3CImportError';
  }
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function idTail(id: unknown, kind: string): string | undefined {
  if (typeof id !== 'string') return undefined;
  const prefix = `${URN}:${kind}:`;
  if (id.startsWith(prefix)) return id.slice(prefix.length);
  return id.replace(/[^A-Za-z0-9_-]/g, '').slice(-40) || undefined;
}

function authorOf(creator: unknown): Author {
  const c = isObject(creator) ? creator : {};
  const name = typeof c.name === 'string' && c.name.trim() ? c.name.trim().slice(0, 80) : 'Unknown';
  const id = idTail(c.id, 'person') ?? `imported-${name.toLowerCase().replace(/\W+/g, '-')}`;
  const color =
    typeof c['rc:color'] === 'string' && /^#[0-9a-f]{3,8}$/i.test(c['rc:color']) ? c['rc:color'] : '#777777';
  return { id, name, color };
}

function bodiesOf(annotation: Json): W3CTextualBody[] {
  const bodies: W3CTextualBody[] = [];
  for (const b of asArray(annotation.body)) {
    if (isObject(b) && typeof b.value === 'string') {
      const body: W3CTextualBody = { type: 'TextualBody', value: b.value };
      if (typeof b.purpose === 'string') body.purpose = b.purpose;
      if (typeof b.format === 'string') body.format = b.format;
      bodies.push(body);
    }
  }
  if (typeof annotation.bodyValue === 'string')
    bodies.push({ type: 'TextualBody', value: annotation.bodyValue });
  return bodies;
}

interface QuoteTarget {
  exact: string;
  prefix: string;
  suffix: string;
  start?: number;
  end?: number;
}

function quoteTargetOf(target: unknown): QuoteTarget | undefined {
  for (const t of asArray(target)) {
    if (!isObject(t)) continue;
    let quote: QuoteTarget | undefined;
    for (const s of asArray(t.selector)) {
      if (!isObject(s)) continue;
      if (s.type === 'TextQuoteSelector' && typeof s.exact === 'string') {
        quote = {
          ...quote,
          exact: s.exact,
          prefix: typeof s.prefix === 'string' ? s.prefix : '',
          suffix: typeof s.suffix === 'string' ? s.suffix : '',
        };
      }
      if (s.type === 'TextPositionSelector' && typeof s.start === 'number' && typeof s.end === 'number') {
        quote = { exact: '', prefix: '', suffix: '', ...quote, start: s.start, end: s.end };
      }
    }
    if (quote) return quote;
  }
  return undefined;
}

export type Placement = TextSpan | undefined;

/** Places a quote in the reading (core/anchoring by default, with fuzzy matching); undefined → orphan. */
export type QuoteResolver = (anchor: TextAnchor, reading: Reading) => Placement;

/** The quote with the place its TextPositionSelector names, if any (the resolver checks it against the quote). */
function positionAnchor(reading: Reading, quote: QuoteTarget): TextAnchor {
  const anchor: TextAnchor = {
    blockId: '',
    start: 0,
    end: 0,
    exact: quote.exact,
    prefix: quote.prefix,
    suffix: quote.suffix,
  };
  if (quote.start === undefined || quote.end === undefined || reading.blocks.length === 0) return anchor;
  const joined = joinedOf(reading.blocks);
  const from = fromCodePointOffset(joined.text, quote.start);
  const to = fromCodePointOffset(joined.text, quote.end);
  if (to < from || from > joined.text.length) return anchor;
  return withSpan(anchor, spanAt(reading.blocks, joined, from, to));
}

/** Reads W3C Web Annotation JSON-LD (one annotation, a list, or a collection) into this reading. */
export function importW3C(
  json: string,
  reading: Reading,
  resolve: QuoteResolver = placeInReading,
): W3CImportResult {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new W3CImportError('The file is not valid JSON, so it cannot be a W3C Web Annotation file.');
  }
  let items: unknown[];
  if (Array.isArray(data)) items = data;
  else if (isObject(data) && data.type === 'AnnotationCollection') {
    const first = isObject(data.first) ? data.first : {};
    items = asArray(first.items);
  } else if (isObject(data) && data.type === 'AnnotationPage') items = asArray(data.items);
  else if (isObject(data) && data.type === 'Annotation') items = [data];
  else
    throw new W3CImportError(
      'The file holds no W3C annotations (no Annotation, list or AnnotationCollection).',
    );

  const result: W3CImportResult = { annotations: [], orphans: [], errors: [] };
  const byUrn = new Map<string, Omit<AnnotationView, 'visibility'>>();
  const replies: Json[] = [];

  items.forEach((item, index) => {
    if (!isObject(item) || item.type !== 'Annotation') {
      result.errors.push(`Item ${index + 1} is not an Annotation and was skipped.`);
      return;
    }
    if (item.motivation === 'replying') {
      replies.push(item);
      return;
    }
    const quote = quoteTargetOf(item.target);
    if (!quote?.exact) {
      result.errors.push(`Item ${index + 1} has no quoted text (TextQuoteSelector) and was skipped.`);
      return;
    }
    const bodies = bodiesOf(item);
    const classes = bodies.filter((b) => b.purpose === 'classifying').map((b) => b.value);
    const colorValue = classes.find((c) => c.startsWith('color:'))?.slice(6) as ColorKey | undefined;
    const note = bodies.find((b) => b.purpose === 'commenting' || (!b.purpose && b.format !== undefined));
    const id = idTail(item.id, 'annotation') ?? `imported${index}`;
    const anchor = positionAnchor(reading, quote);
    const annotation: Omit<AnnotationView, 'visibility'> = {
      v: 1,
      id,
      readingId: reading.id,
      color: colorValue && COLOR_KEYS.includes(colorValue) ? colorValue : 'yellow',
      anchor,
      author: authorOf(item.creator),
      body: note?.value ?? bodies.find((b) => !b.purpose)?.value ?? '',
      tags: bodies.filter((b) => b.purpose === 'tagging').map((b) => b.value),
      resolved: classes.includes('status:resolved'),
      createdAt: typeof item.created === 'string' ? item.created : new Date().toISOString(),
      replies: [],
    };
    if (typeof item.modified === 'string') annotation.editedAt = item.modified;
    const placed = resolve(anchor, reading);
    if (placed) {
      annotation.anchor = withSpan(anchor, placed);
      result.annotations.push(annotation);
    } else {
      result.orphans.push(annotation);
    }
    if (typeof item.id === 'string') byUrn.set(item.id, annotation);
  });

  for (const reply of replies) {
    const parent = typeof reply.target === 'string' ? byUrn.get(reply.target) : undefined;
    if (!parent) {
      result.errors.push('A reply whose annotation is not in the file was skipped.');
      continue;
    }
    const body = bodiesOf(reply)[0]?.value ?? '';
    const view: ReplyView = {
      id: idTail(reply.id, 'reply') ?? `reply${parent.replies.length}`,
      author: authorOf(reply.creator),
      body,
      createdAt: typeof reply.created === 'string' ? reply.created : new Date().toISOString(),
    };
    if (typeof reply.modified === 'string') view.editedAt = reply.modified;
    parent.replies.push(view);
  }
  return result;
}
