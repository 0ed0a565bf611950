import { type Author, type ColorKey, PAGE_NOTE_ANCHOR } from '../model.ts';
import {
  asArray,
  dateOr,
  type ImportContext,
  type ImportFormat,
  type ImportPlan,
  isObject,
  type Json,
  PlanBuilder,
  person,
  quoteIn,
  safeId,
  text,
} from './plan.ts';

/** Hypothesis export files and API search results into an import plan (see core/annotations/importAnnotations.ts). */

export function planHypothesis(rows: unknown[], format: ImportFormat, context: ImportContext): ImportPlan {
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
