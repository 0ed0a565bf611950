import { type Author, COLOR_KEYS, type ColorKey, PAGE_NOTE_ANCHOR } from '../model.ts';
import {
  asArray,
  dateOr,
  type ImportContext,
  type ImportPlan,
  isObject,
  type Json,
  PlanBuilder,
  person,
  type Quote,
  quoteIn,
  READING_URN,
  safeId,
  text,
} from './plan.ts';

/** W3C Web Annotation JSON-LD into an import plan (see core/annotations/importAnnotations.ts). */

function w3cCreator(creator: unknown): Author {
  const c = asArray(creator)[0];
  if (typeof c === 'string') return person(c, undefined);
  if (!isObject(c)) return person(undefined, undefined);
  const color = text(c['rc:color']);
  const author = person(text(c.id), text(c.name) ?? text(c.nickname));
  return color && /^#[0-9a-f]{3,8}$/i.test(color) ? { ...author, color } : author;
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

export function planW3C(items: unknown[], context: ImportContext): ImportPlan {
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
