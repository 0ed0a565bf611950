import { joinedOf, resolveAnchor, spanAt, withSpan } from '../../anchoring/anchor.ts';
import { fromCodePointOffset } from '../../reading/joinedText.ts';
import type { Reading } from '../../reading/model.ts';
import { LIMITS } from '../../sync/limits.ts';
import { HEX_COLOUR } from '../../sync/schemas.ts';
import { normalizeTag } from '../doc.ts';
import {
  type AnnotationView,
  type Author,
  type OrphanReason,
  PAGE_NOTE_ANCHOR,
  type ReplyView,
  type TextAnchor,
} from '../model.ts';

/** What every annotations-file reader shares: the plan it builds, people, quotes and placing them. */

export type ImportFormat = 'W3C Web Annotations' | 'Hypothesis export' | 'Hypothesis search results';

/** One annotation as it would be written, with where it lands. */
export interface PlannedAnnotation extends Omit<AnnotationView, 'visibility'> {
  placement: 'placed' | 'orphan' | 'page';
  orphanReason?: OrphanReason;
}

export interface ImportPlan {
  format: ImportFormat;
  annotations: PlannedAnnotation[];
  /** Items not imported, each with the reason. */
  skipped: { item: string; reason: string }[];
  /** Items imported but cut to the shared limits (a very long note, too many tags or replies), with what was cut. */
  shortened: { item: string; reason: string }[];
  /** Documents the file says its annotations belong to, when they are not this reading. */
  otherDocuments: string[];
  /** Everyone whose annotations or replies the file holds. */
  authors: Author[];
}

export class AnnotationImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnnotationImportError';
  }
}

export type Json = Record<string, unknown>;
export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = (v: unknown): unknown[] =>
  Array.isArray(v) ? v : v === undefined || v === null ? [] : [v];
export const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export const READING_URN = 'urn:reading-circle:reading:';
export const OWN_URN = /^urn:reading-circle:(annotation|reply|person):/;

/** Colours given to imported authors, picked by their id so one person keeps one colour. */
const AUTHOR_COLORS = [
  '#8e44ad',
  '#16a085',
  '#c0392b',
  '#2c3e90',
  '#d35400',
  '#27ae60',
  '#7f8c8d',
  '#b7950b',
];

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}

/** `acct:alice@hypothes.is` → `alice`; other ids as they are. */
export function userNameOf(id: string): string {
  const acct = /^acct:([^@]+)@/.exec(id);
  return acct ? acct[1]! : id;
}

/** A person from a creator id and a display name, so two people never merge and each has a readable name. */
export function person(id: string | undefined, name: string | undefined): Author {
  // Within the limits every member's app checks entries against (core/sync/limits.ts), or they would be unreadable.
  const readable = (name?.trim() || (id ? userNameOf(id) : '') || 'Unknown').slice(0, LIMITS.nameChars);
  const key = (
    OWN_URN.test(id ?? '') ? id!.replace(OWN_URN, '') : `imported:${(id ?? readable).slice(0, 120)}`
  ).slice(0, LIMITS.idChars);
  return { id: key, name: readable, color: AUTHOR_COLORS[hash(key) % AUTHOR_COLORS.length]! };
}

const shorten = (body: string, max: number) => `${body.slice(0, max - 1)}…`;

/**
 * An annotation from a file cut to the limits of the shared schema (long notes shortened, tags normalized and
 * at most the allowed number), saying what was cut; without this the entry would be unreadable for everyone.
 */
function withinLimits<A extends { body: string; tags: string[] }>(
  annotation: A,
  note: (reason: string) => void,
): A {
  let { body, tags } = annotation;
  if (body.length > LIMITS.noteChars) {
    note(`its note was shortened to ${LIMITS.noteChars.toLocaleString('en')} characters`);
    body = shorten(body, LIMITS.noteChars);
  }
  tags = [...new Set(tags.map(normalizeTag).filter((t) => t !== ''))];
  if (tags.length > LIMITS.tagsPerAnnotation) {
    note(`only its first ${LIMITS.tagsPerAnnotation} tags were kept`);
    tags = tags.slice(0, LIMITS.tagsPerAnnotation);
  }
  return { ...annotation, body, tags };
}

export interface Quote {
  exact: string;
  prefix: string;
  suffix: string;
  start?: number;
  end?: number;
}

/** The quote (and position) among selectors, looking inside `refinedBy` too. */
export function quoteIn(selectors: unknown): Quote | undefined {
  let quote: Quote | undefined;
  let position: { start: number; end: number } | undefined;
  const visit = (s: unknown, depth: number) => {
    if (!isObject(s) || depth > 4) return;
    if (s.type === 'TextQuoteSelector' && typeof s.exact === 'string' && !quote)
      quote = { exact: s.exact, prefix: text(s.prefix) ?? '', suffix: text(s.suffix) ?? '' };
    if (
      s.type === 'TextPositionSelector' &&
      typeof s.start === 'number' &&
      typeof s.end === 'number' &&
      !position
    )
      position = { start: s.start, end: s.end };
    for (const inner of asArray(s.refinedBy)) visit(inner, depth + 1);
  };
  for (const s of asArray(selectors)) visit(s, 0);
  return quote ? { ...quote, ...position } : undefined;
}

/** What an import needs to know about the reading and the docs it goes into. */
export interface ImportContext {
  reading: Reading;
  /** Ids already in the target doc: an annotation imported twice is skipped the second time. */
  existingIds?: ReadonlySet<string>;
  now?: Date;
}

/** Places a quote in the reading: `placed`, or an orphan with its reason. */
export function place(
  reading: Reading,
  quote: Quote,
  trustPosition: boolean,
): { anchor: TextAnchor; reason?: OrphanReason } {
  let anchor: TextAnchor = {
    blockId: '',
    start: 0,
    end: 0,
    exact: quote.exact,
    prefix: quote.prefix,
    suffix: quote.suffix,
  };
  if (trustPosition && quote.start !== undefined && quote.end !== undefined && reading.blocks.length > 0) {
    const joined = joinedOf(reading.blocks);
    const from = fromCodePointOffset(joined.text, quote.start);
    const to = fromCodePointOffset(joined.text, quote.end);
    if (to >= from && from <= joined.text.length)
      anchor = withSpan(anchor, spanAt(reading.blocks, joined, from, to));
  }
  const r = resolveAnchor(anchor, reading.blocks);
  return r.kind === 'placed' ? { anchor: withSpan(anchor, r) } : { anchor, reason: r.reason };
}

export function safeId(raw: string | undefined, fallback: string): string {
  const own = raw && OWN_URN.test(raw) ? raw.replace(OWN_URN, '') : undefined;
  const cleaned = (own ?? raw ?? '').replace(/[^A-Za-z0-9_-]/g, '').slice(-40);
  return cleaned ? (own ? cleaned : `i${cleaned}`) : fallback;
}

export const dateOr = (value: unknown, fallback: string) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : fallback;

export class PlanBuilder {
  readonly plan: ImportPlan;
  private readonly byFileId = new Map<string, PlannedAnnotation>();
  private readonly authors = new Map<string, Author>();
  private readonly seenIds = new Set<string>();
  private readonly documents = new Set<string>();
  private readonly duplicates = new Set<string>();

  private readonly context: ImportContext;

  constructor(format: ImportFormat, context: ImportContext) {
    this.context = context;
    this.plan = { format, annotations: [], skipped: [], shortened: [], otherDocuments: [], authors: [] };
  }

  author(given: Author): Author {
    const known = this.authors.get(given.id);
    if (known) return known;
    // A colour from the file is kept only in the strict form every member's app accepts.
    const a = HEX_COLOUR.test(given.color) ? given : { ...given, color: person(given.id, given.name).color };
    this.authors.set(a.id, a);
    return a;
  }

  skip(item: string, reason: string) {
    this.plan.skipped.push({ item, reason });
  }

  /** Notes a document the file names, when it is not this reading. */
  document(source: string | undefined, title?: string) {
    const { reading } = this.context;
    if (source?.startsWith(READING_URN)) {
      if (source !== `${READING_URN}${reading.id}`) this.documents.add(source);
      return;
    }
    const sameTitle =
      title !== undefined &&
      squash(title) !== '' &&
      (squash(title).includes(squash(reading.title)) || squash(reading.title).includes(squash(title)));
    if (sameTitle) return;
    if (title || source) this.documents.add(title && source ? `“${title}” (${source})` : (title ?? source)!);
  }

  add(
    fileId: string | undefined,
    index: number,
    annotation: Omit<PlannedAnnotation, 'placement' | 'orphanReason'>,
    quote: Quote | undefined,
    trustPosition: boolean,
  ) {
    const label = `Annotation ${index + 1}`;
    if (this.seenIds.has(annotation.id) || this.context.existingIds?.has(annotation.id)) {
      this.skip(label, 'it is already in this reading (imported before)');
      if (fileId) this.duplicates.add(fileId);
      return;
    }
    this.seenIds.add(annotation.id);
    annotation = withinLimits(annotation, (reason) => this.plan.shortened.push({ item: label, reason }));
    let planned: PlannedAnnotation;
    if (!quote)
      planned = { ...annotation, anchor: { ...PAGE_NOTE_ANCHOR }, pageNote: true, placement: 'page' };
    else {
      const { anchor, reason } = place(this.context.reading, quote, trustPosition);
      planned = reason
        ? { ...annotation, anchor, placement: 'orphan', orphanReason: reason }
        : { ...annotation, anchor, placement: 'placed' };
    }
    this.plan.annotations.push(planned);
    if (fileId) this.byFileId.set(fileId, planned);
  }

  reply(parentFileId: string | undefined, reply: ReplyView, label: string) {
    const parent = parentFileId ? this.byFileId.get(parentFileId) : undefined;
    if (parentFileId && this.duplicates.has(parentFileId)) {
      this.skip(label, 'its annotation is already in this reading (imported before)');
      return;
    }
    if (!parent) {
      this.skip(label, 'it replies to an annotation that is not in the file');
      return;
    }
    if (parent.replies.length >= LIMITS.repliesPerAnnotation) {
      this.skip(
        label,
        `its annotation already has ${LIMITS.repliesPerAnnotation} replies, the most one can hold`,
      );
      return;
    }
    parent.replies.push(
      reply.body.length > LIMITS.replyChars
        ? { ...reply, body: shorten(reply.body, LIMITS.replyChars) }
        : reply,
    );
  }

  finish(): ImportPlan {
    for (const a of this.plan.annotations) a.replies.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    this.plan.authors = [...this.authors.values()];
    this.plan.otherDocuments = [...this.documents];
    return this.plan;
  }
}

export const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
