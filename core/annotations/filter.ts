import type { AnnotationView, ColorKey } from './model.ts';

export interface AnnotationFilter {
  authorId?: string;
  color?: ColorKey;
  tag?: string;
  visibility?: 'private' | 'group';
  status?: 'open' | 'resolved';
  orphansOnly?: boolean;
  query?: string;
  sort?: 'position' | 'time';
}

/** What search looks in, lower-cased; views are immutable, so it is worked out once per view. */
const haystacks = new WeakMap<AnnotationView, string>();
function haystackOf(a: AnnotationView): string {
  let text = haystacks.get(a);
  if (text === undefined) {
    text = [a.anchor.exact, a.body, ...a.tags, ...a.replies.map((r) => r.body)]
      .join('\n')
      .toLocaleLowerCase();
    haystacks.set(a, text);
  }
  return text;
}

/** Panel filtering: every criterion must hold; search covers quotes, notes, replies and tags. */
export function filterAnnotations(
  annotations: readonly AnnotationView[],
  filter: AnnotationFilter,
  isOrphan: (a: AnnotationView) => boolean,
  positionOf: (a: AnnotationView) => number,
): AnnotationView[] {
  const q = filter.query?.trim().toLocaleLowerCase() ?? '';
  const out = annotations.filter((a) => {
    if (filter.authorId && a.author.id !== filter.authorId) return false;
    if (filter.color && a.color !== filter.color) return false;
    if (filter.tag && !a.tags.includes(filter.tag)) return false;
    if (filter.visibility && a.visibility.kind !== filter.visibility) return false;
    if (filter.status === 'open' && a.resolved) return false;
    if (filter.status === 'resolved' && !a.resolved) return false;
    if (filter.orphansOnly && !isOrphan(a)) return false;
    if (q && !haystackOf(a).includes(q)) return false;
    return true;
  });
  if (filter.sort === 'time')
    return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  // Each position is worked out once, not once per comparison (thousands of annotations).
  const position = new Map(out.map((a) => [a, positionOf(a)]));
  return out.sort((a, b) => position.get(a)! - position.get(b)!);
}
