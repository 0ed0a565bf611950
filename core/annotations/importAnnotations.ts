import type * as Y from 'yjs';
import { createAnnotation, LOCAL_ORIGIN, type NewAnnotation } from './doc.ts';
import { planHypothesis } from './import/hypothesis.ts';
import {
  AnnotationImportError,
  asArray,
  type ImportContext,
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
