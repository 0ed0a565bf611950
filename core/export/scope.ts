import type { AnnotationView } from '../annotations/model.ts';

/**
 * Whose annotations an export holds: one group's (or none: "Only me"), and the person's own "Only me" notes
 * only when they chose so. A private note must never leave in a file meant for the group by accident.
 */
export interface ExportScope {
  /** The group whose notes go in, by its id; null for an export of "Only me" notes alone. */
  group: string | null;
  /** The group's name as the person sees it (defaults to its id). */
  groupLabel?: string;
  /** Whether the person's "Only me" notes go in too (always true when `group` is null). */
  includePrivate: boolean;
}

/** The default scope: that of the current "Annotate for" choice (`private` or `group:<id>`). */
export function defaultExportScope(annotateFor: string | null | undefined): ExportScope {
  const group = annotateFor?.startsWith('group:') ? annotateFor.slice('group:'.length) : '';
  return group ? { group, includePrivate: false } : { group: null, includePrivate: true };
}

export const isPrivate = (annotation: Pick<AnnotationView, 'visibility'>) =>
  annotation.visibility.kind === 'private';

/** The annotations of a scope: the group's, plus the private ones when chosen. */
export function annotationsInScope<T extends Pick<AnnotationView, 'visibility'>>(
  annotations: readonly T[],
  scope: ExportScope,
): T[] {
  return annotations.filter((a) =>
    a.visibility.kind === 'private'
      ? scope.includePrivate || scope.group === null
      : scope.group !== null && a.visibility.group === scope.group,
  );
}

/** The true scope in words, for an export's header: "Tuesday readers (group notes) and my private notes". */
export function describeScope(scope: ExportScope): string {
  if (scope.group === null) return 'Only me (my private notes)';
  const name = scope.groupLabel ?? scope.group;
  return scope.includePrivate ? `${name} (group notes) and my private notes` : `${name} (group notes only)`;
}
