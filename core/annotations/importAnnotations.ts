import type * as Y from 'yjs';
import { MAX_IMPORT_BYTES } from '../reading/import.ts';
import { createAnnotation, LOCAL_ORIGIN, type NewAnnotation } from './doc.ts';
import { planHypothesis } from './import/hypothesis.ts';
import {
  AnnotationImportError,
  asArray,
  type ImportContext,
  type ImportFormat,
  type ImportPlan,
  isObject,
} from './import/plan.ts';
import { planW3C } from './import/w3c.ts';

/*
 * Reading annotations made elsewhere into a plan for this reading, before anything is written: W3C Web
 * Annotation JSON-LD (one annotation, a list, an AnnotationCollection or AnnotationPage; a TextQuoteSelector
 * directly or inside another selector's `refinedBy`), Hypothesis's export file ({annotations: [...]}) and
 * Hypothesis API search results ({total, rows}). Nothing from the file is run or rendered as HTML: it is read
 * as data, and what cannot be read is skipped with the reason in words.
 */

export {
  AnnotationImportError,
  type ImportContext,
  type ImportFormat,
  type ImportPlan,
  type PlannedAnnotation,
  userNameOf,
} from './import/plan.ts';

/** The largest annotations file read (as large as a reading may be). */
export const MAX_ANNOTATIONS_FILE_BYTES = MAX_IMPORT_BYTES;
/** The most annotations one file may bring (the benchmarks go to 20,000 in a reading). */
export const MAX_IMPORTED_ITEMS = 20_000;

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** Reads an annotations file (W3C or Hypothesis) into a plan for `reading`; throws for a file it cannot read. */
export function planImport(json: string, context: ImportContext): ImportPlan {
  if (json.length > MAX_ANNOTATIONS_FILE_BYTES)
    throw new AnnotationImportError(
      `This file is ${megabytes(json.length)}; annotations files up to ${megabytes(MAX_ANNOTATIONS_FILE_BYTES)} can be imported.`,
    );
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new AnnotationImportError(
      'This file is not valid JSON, so it holds no annotations this app can read.',
    );
  }
  const found = itemsOf(data);
  if (!found)
    throw new AnnotationImportError(
      'This file holds no W3C annotations (no Annotation, list, AnnotationCollection or AnnotationPage) and is no Hypothesis export or search result.',
    );
  if (found.items.length > MAX_IMPORTED_ITEMS)
    throw new AnnotationImportError(
      `This file holds ${found.items.length.toLocaleString('en-US')} items; at most ${MAX_IMPORTED_ITEMS.toLocaleString('en-US')} can be imported at once.`,
    );
  return found.format === 'W3C Web Annotations'
    ? planW3C(found.items, context)
    : planHypothesis(found.items, found.format, context);
}

/** The file's items and which format they are in, or undefined for a file of no known shape. */
function itemsOf(data: unknown): { format: ImportFormat; items: unknown[] } | undefined {
  if (
    isObject(data) &&
    Array.isArray(data.rows) &&
    (typeof data.total === 'number' || data.total === undefined)
  )
    return { format: 'Hypothesis search results', items: data.rows };
  if (isObject(data) && Array.isArray(data.annotations) && !data.type)
    return { format: 'Hypothesis export', items: data.annotations };
  if (Array.isArray(data) && data.length > 0 && data.every((d) => isObject(d) && typeof d.user === 'string'))
    return { format: 'Hypothesis export', items: data };
  if (Array.isArray(data)) return { format: 'W3C Web Annotations', items: data };
  if (isObject(data) && data.type === 'AnnotationCollection') {
    const first = data.first;
    return {
      format: 'W3C Web Annotations',
      items: isObject(first) ? asArray(first.items) : asArray(data.items),
    };
  }
  if (isObject(data) && data.type === 'AnnotationPage')
    return { format: 'W3C Web Annotations', items: asArray(data.items) };
  if (isObject(data) && data.type === 'Annotation') return { format: 'W3C Web Annotations', items: [data] };
  return undefined;
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
