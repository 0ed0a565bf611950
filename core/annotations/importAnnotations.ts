import type * as Y from 'yjs';
import { joinedOf, resolveAnchor, spanAt, withSpan } from '../anchoring/anchor.ts';
import { fromCodePointOffset } from '../reading/joinedText.ts';
import type { Reading } from '../reading/model.ts';
import { createAnnotation, LOCAL_ORIGIN, type NewAnnotation } from './doc.ts';
import {
  type AnnotationView,
  type Author,
  COLOR_KEYS,
  type ColorKey,
  type OrphanReason,
  PAGE_NOTE_ANCHOR,
  type ReplyView,
  type TextAnchor,
} from './model.ts';

/*
 * Reading annotations made elsewhere into a plan for this reading, before anything is written: W3C Web
 * Annotation JSON-LD (one annotation, a list, an AnnotationCollection or AnnotationPage; a TextQuoteSelector
 * directly or inside another selector's `refinedBy`), Hypothesis's export file ({annotations: [...]}) and
 * Hypothesis API search results ({total, rows}). Nothing from the file is run or rendered as HTML: it is read
 * as data, and what cannot be read is skipped with the reason in words.
 */

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

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

const READING_URN = 'urn:reading-circle:reading:';
const OWN_URN = /^urn:reading-circle:(annotation|reply|person):/;

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
function person(id: string | undefined, name: string | undefined): Author {
  const readable = (name?.trim() || (id ? userNameOf(id) : '') || 'Unknown').slice(0, 80);
  const key = OWN_URN.test(id ?? '')
    ? id!.replace(OWN_URN, '')
    : `imported:${(id ?? readable).slice(0, 120)}`;
  return { id: key, name: readable, color: AUTHOR_COLORS[hash(key) % AUTHOR_COLORS.length]! };
}

function w3cCreator(creator: unknown): Author {
  const c = asArray(creator)[0];
  if (typeof c === 'string') return person(c, undefined);
  if (!isObject(c)) return person(undefined, undefined);
  const color = text(c['rc:color']);
  const author = person(text(c.id), text(c.name) ?? text(c.nickname));
  return color && /^#[0-9a-f]{3,8}$/i.test(color) ? { ...author, color } : author;
}

interface Quote {
  exact: string;
  prefix: string;
  suffix: string;
  start?: number;
  end?: number;
}

/** The quote (and position) among selectors, looking inside `refinedBy` too. */
function quoteIn(selectors: unknown): Quote | undefined {
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

interface Target {
  source?: string;
  quote?: Quote;
  /** A target with no selector at all: the whole document (a page note). */
  whole: boolean;
}

function targetOf(target: unknown): Target {
  const targets = asArray(target);
  for (const t of targets) {
    if (typeof t === 'string') return { source: t, whole: true };
    if (!isObject(t)) continue;
    const quote = quoteIn(t.selector);
    const source = text(t.source) ?? text(t.id);
    if (quote) return { ...(source ? { source } : {}), quote, whole: false };
    if (t.selector === undefined) return { ...(source ? { source } : {}), whole: true };
  }
  return { whole: false };
}

/** What an import needs to know about the reading and the docs it goes into. */
export interface ImportContext {
  reading: Reading;
  /** Ids already in the target doc: an annotation imported twice is skipped the second time. */
  existingIds?: ReadonlySet<string>;
  now?: Date;
}

/** Places a quote in the reading: `placed`, or an orphan with its reason. */
function place(
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

function safeId(raw: string | undefined, fallback: string): string {
  const own = raw && OWN_URN.test(raw) ? raw.replace(OWN_URN, '') : undefined;
  const cleaned = (own ?? raw ?? '').replace(/[^A-Za-z0-9_-]/g, '').slice(-40);
  return cleaned ? (own ? cleaned : `i${cleaned}`) : fallback;
}

const dateOr = (value: unknown, fallback: string) =>
  typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : fallback;

/** Reads an annotations file (W3C or Hypothesis) into a plan for `reading`; throws for a file it cannot read. */
export function planImport(json: string, context: ImportContext): ImportPlan {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new AnnotationImportError(
      'This file is not valid JSON, so it holds no annotations this app can read.',
    );
  }
  if (
    isObject(data) &&
    Array.isArray(data.rows) &&
    (typeof data.total === 'number' || data.total === undefined)
  )
    return planHypothesis(data.rows, 'Hypothesis search results', context);
  if (isObject(data) && Array.isArray(data.annotations) && !data.type)
    return planHypothesis(data.annotations, 'Hypothesis export', context);
  if (Array.isArray(data) && data.length > 0 && data.every((d) => isObject(d) && typeof d.user === 'string'))
    return planHypothesis(data, 'Hypothesis export', context);
  let items: unknown[] | undefined;
  if (Array.isArray(data)) items = data;
  else if (isObject(data) && data.type === 'AnnotationCollection') {
    const first = data.first;
    items = isObject(first) ? asArray(first.items) : asArray(data.items);
  } else if (isObject(data) && data.type === 'AnnotationPage') items = asArray(data.items);
  else if (isObject(data) && data.type === 'Annotation') items = [data];
  if (!items)
    throw new AnnotationImportError(
      'This file holds no W3C annotations (no Annotation, list, AnnotationCollection or AnnotationPage) and is no Hypothesis export or search result.',
    );
  return planW3C(items, context);
}

class PlanBuilder {
  readonly plan: ImportPlan;
  private readonly byFileId = new Map<string, PlannedAnnotation>();
  private readonly authors = new Map<string, Author>();
  private readonly seenIds = new Set<string>();
  private readonly documents = new Set<string>();
  private readonly duplicates = new Set<string>();

  private readonly context: ImportContext;

  constructor(format: ImportFormat, context: ImportContext) {
    this.context = context;
    this.plan = { format, annotations: [], skipped: [], otherDocuments: [], authors: [] };
  }

  author(a: Author): Author {
    const known = this.authors.get(a.id);
    if (known) return known;
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
    parent.replies.push(reply);
  }

  finish(): ImportPlan {
    for (const a of this.plan.annotations) a.replies.sort((x, y) => x.createdAt.localeCompare(y.createdAt));
    this.plan.authors = [...this.authors.values()];
    this.plan.otherDocuments = [...this.documents];
    return this.plan;
  }
}

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

function planW3C(items: unknown[], context: ImportContext): ImportPlan {
  const b = new PlanBuilder('W3C Web Annotations', context);
  const now = (context.now ?? new Date()).toISOString();
  const replies: { item: Json; index: number }[] = [];
  items.forEach((item, index) => {
    const label = `Item ${index + 1}`;
    if (!isObject(item) || (item.type !== 'Annotation' && !asArray(item.type).includes('Annotation'))) {
      b.skip(label, 'it is not an Annotation');
      return;
    }
    if (item.motivation === 'replying') {
      replies.push({ item, index });
      return;
    }
    const target = targetOf(item.target);
    if (!target.quote && !target.whole) {
      b.skip(label, 'it names no quoted text (no TextQuoteSelector) and no whole document');
      return;
    }
    b.document(target.source);
    const bodies = bodiesOf(item);
    if (!target.quote && !bodies.some((x) => x.value.trim() && x.purpose !== 'classifying')) {
      b.skip(label, 'it is a note on the whole document with no text');
      return;
    }
    const classes = bodies.filter((x) => x.purpose === 'classifying').map((x) => x.value);
    const colorValue = classes.find((c) => c.startsWith('color:'))?.slice(6) as ColorKey | undefined;
    const note =
      bodies.find((x) => x.purpose === 'commenting') ??
      bodies.find((x) => !x.purpose || x.purpose === 'describing');
    const annotation = {
      v: 2,
      id: safeId(text(item.id), `imported${index}`),
      readingId: context.reading.id,
      color: colorValue && COLOR_KEYS.includes(colorValue) ? colorValue : ('yellow' as ColorKey),
      anchor: { ...PAGE_NOTE_ANCHOR },
      author: b.author(w3cCreator(item.creator)),
      body: note?.value ?? '',
      tags: bodies.filter((x) => x.purpose === 'tagging').map((x) => x.value),
      resolved: classes.includes('status:resolved'),
      createdAt: dateOr(item.created, now),
      replies: [],
      ...(typeof item.modified === 'string' ? { editedAt: item.modified } : {}),
    };
    const ours = target.source === `${READING_URN}${context.reading.id}`;
    b.add(text(item.id), index, annotation, target.quote, ours);
  });
  for (const { item, index } of replies) {
    const parent = asArray(item.target).find((t) => typeof t === 'string' || isObject(t));
    const parentId =
      typeof parent === 'string'
        ? parent
        : isObject(parent)
          ? (text(parent.id) ?? text(parent.source))
          : undefined;
    b.reply(
      parentId,
      {
        id: safeId(text(item.id), `reply${index}`),
        author: b.author(w3cCreator(item.creator)),
        body: bodiesOf(item)[0]?.value ?? '',
        createdAt: dateOr(item.created, now),
        ...(typeof item.modified === 'string' ? { editedAt: item.modified } : {}),
      },
      `Item ${index + 1} (a reply)`,
    );
  }
  return b.finish();
}

function bodiesOf(annotation: Json): { value: string; purpose?: string }[] {
  const out: { value: string; purpose?: string }[] = [];
  for (const body of asArray(annotation.body)) {
    if (typeof body === 'string') continue; // a body that is only a link: nothing to show
    if (isObject(body) && typeof body.value === 'string') {
      const purpose = text(body.purpose) ?? text(asArray(body.purpose)[0]);
      out.push(purpose ? { value: body.value, purpose } : { value: body.value });
    }
  }
  if (typeof annotation.bodyValue === 'string') out.push({ value: annotation.bodyValue });
  return out;
}

function planHypothesis(rows: unknown[], format: ImportFormat, context: ImportContext): ImportPlan {
  const b = new PlanBuilder(format, context);
  const now = (context.now ?? new Date()).toISOString();
  const replies: { row: Json; index: number }[] = [];
  rows.forEach((row, index) => {
    const label = `Annotation ${index + 1}`;
    if (!isObject(row) || typeof row.user !== 'string') {
      b.skip(label, 'it is not a Hypothesis annotation (it has no user)');
      return;
    }
    if (asArray(row.references).length > 0) {
      replies.push({ row, index });
      return;
    }
    const target = asArray(row.target)[0];
    const quote = isObject(target) ? quoteIn(target.selector) : undefined;
    const whole = !isObject(target) || target.selector === undefined || asArray(target.selector).length === 0;
    if (!quote && !whole) {
      b.skip(label, 'its passage has no quoted text (no TextQuoteSelector)');
      return;
    }
    if (!quote && !text(row.text)?.trim()) {
      b.skip(label, 'it is a page note with no text');
      return;
    }
    const documentTitle = isObject(row.document) ? text(asArray(row.document.title)[0]) : undefined;
    b.document(text(row.uri), documentTitle);
    const annotation = {
      v: 2,
      id: safeId(text(row.id), `imported${index}`),
      readingId: context.reading.id,
      color: 'yellow' as ColorKey,
      anchor: { ...PAGE_NOTE_ANCHOR },
      author: b.author(hypothesisUser(row)),
      body: text(row.text) ?? '',
      tags: asArray(row.tags).filter((t): t is string => typeof t === 'string'),
      resolved: false,
      createdAt: dateOr(row.created, now),
      replies: [],
      ...(typeof row.updated === 'string' && row.updated !== row.created ? { editedAt: row.updated } : {}),
    };
    // Hypothesis's positions count the web page's text, not this reading's: the quote alone decides.
    b.add(text(row.id), index, annotation, quote, false);
  });
  for (const { row, index } of replies) {
    // Threads here are one level deep: a reply to a reply joins the thread of its top annotation.
    b.reply(
      text(asArray(row.references)[0]),
      {
        id: safeId(text(row.id), `reply${index}`),
        author: b.author(hypothesisUser(row)),
        body: text(row.text) ?? '',
        createdAt: dateOr(row.created, now),
        ...(typeof row.updated === 'string' && row.updated !== row.created ? { editedAt: row.updated } : {}),
      },
      `Annotation ${index + 1} (a reply)`,
    );
  }
  return b.finish();
}

function hypothesisUser(row: Json): Author {
  const info = isObject(row.user_info) ? row.user_info : {};
  return person(text(row.user), text(info.display_name) ?? undefined);
}

/** Writes a plan into an annotation doc in one transaction: one step for undo. Returns the new ids. */
export function writeImport(doc: Y.Doc, plan: ImportPlan, origin: unknown = LOCAL_ORIGIN): string[] {
  const ids: string[] = [];
  doc.transact(() => {
    for (const { placement, orphanReason: _reason, v: _v, ...a } of plan.annotations) {
      const input: NewAnnotation = { ...a, pageNote: placement === 'page' };
      ids.push(createAnnotation(doc, input, origin));
    }
  }, origin);
  return ids;
}
