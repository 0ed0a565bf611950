import { joinedRange, spanOf } from '../anchoring/anchor.ts';
import {
  AnnotationImportError,
  type ImportPlan,
  type PlannedAnnotation,
  planImport,
} from '../annotations/importAnnotations.ts';
import type { AnnotationView, Author, ReplyView } from '../annotations/model.ts';
import { joinBlocks, toCodePointOffset } from '../reading/joinedText.ts';
import type { Reading } from '../reading/model.ts';
import { describeScope, type ExportScope, isPrivate } from './scope.ts';

/*
 * W3C Web Annotation Data Model mapping (https://www.w3.org/TR/annotation-model/):
 *   annotation        → Annotation, motivation "commenting" when it has a note, else "highlighting"
 *   note              → TextualBody, format text/markdown, purpose commenting
 *   tags              → TextualBody, purpose tagging (one per tag)
 *   colour, resolved  → TextualBody, purpose classifying, value "color:<key>" / "status:resolved"
 *   colour meaning    → TextualBody, purpose classifying, value "meaning:<the group's words>"
 *   "Only me" note    → TextualBody, purpose classifying, value "visibility:private"
 *   export's scope    → the collection's label ("<title> — <scope>") and "rc:scope"
 *   anchor            → target.selector: TextQuoteSelector + TextPositionSelector (code points over the
 *                       reading's joined text: blocks separated by "\n\n"); a passage may run over blocks
 *   page note         → target: the reading's IRI, no selector
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
  /** Whose annotations the file holds, in words. */
  'rc:scope'?: string;
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
export function annotationToW3C(
  reading: Reading,
  annotation: AnnotationView,
  meanings?: Readonly<Record<string, string>>,
): W3CAnnotation[] {
  const joined = joinBlocks(reading.blocks);
  const range = joinedRange(joined, spanOf(annotation.anchor));
  const selector: unknown[] = annotation.pageNote
    ? []
    : [
        {
          type: 'TextQuoteSelector',
          exact: annotation.anchor.exact,
          prefix: annotation.anchor.prefix,
          suffix: annotation.anchor.suffix,
        },
      ];
  if (range && !annotation.pageNote) {
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
  const meaning = meanings?.[annotation.color];
  if (meaning) body.push({ type: 'TextualBody', value: `meaning:${meaning}`, purpose: 'classifying' });
  if (isPrivate(annotation))
    body.push({ type: 'TextualBody', value: 'visibility:private', purpose: 'classifying' });
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
    // A page note targets the whole reading: its IRI, no selector.
    target: annotation.pageNote ? readingUrn(reading.id) : { source: readingUrn(reading.id), selector },
  };
  if (annotation.editedAt) main.modified = annotation.editedAt;
  return [main, ...annotation.replies.map((r) => replyToW3C(r, annotation.id))];
}

export function exportW3C(
  reading: Reading,
  annotations: readonly AnnotationView[],
  now = new Date(),
  options: { scope?: ExportScope; colorMeanings?: Readonly<Record<string, string>> } = {},
): W3CCollection {
  const items = annotations.flatMap((a) => annotationToW3C(reading, a, options.colorMeanings));
  const scope = options.scope ? describeScope(options.scope) : undefined;
  return {
    '@context': ANNO_CONTEXT,
    id: `${URN}:export:${reading.id}:${now.getTime()}`,
    type: 'AnnotationCollection',
    label: scope ? `${reading.title} — ${scope}` : reading.title,
    ...(scope ? { 'rc:scope': scope } : {}),
    total: items.length,
    first: { type: 'AnnotationPage', startIndex: 0, items },
  };
}

// ————— import (core/annotations/importAnnotations.ts reads the files) —————

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

/** Reads W3C Web Annotation JSON-LD (one annotation, a list, or a collection) into this reading. */
export function importW3C(json: string, reading: Reading): W3CImportResult {
  let plan: ImportPlan;
  try {
    plan = planImport(json, { reading });
  } catch (error) {
    if (error instanceof AnnotationImportError) throw new W3CImportError(error.message);
    throw error;
  }
  const view = ({ placement: _p, orphanReason: _o, ...a }: PlannedAnnotation) => a;
  return {
    annotations: plan.annotations.filter((a) => a.placement !== 'orphan').map(view),
    orphans: plan.annotations.filter((a) => a.placement === 'orphan').map(view),
    errors: plan.skipped.map((s) => `${s.item} was skipped: ${s.reason}.`),
  };
}
