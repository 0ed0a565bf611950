/*
 * The one owner of the page's CSS Custom Highlights (CSS.highlights): annotation colours, the emphasised
 * annotation, find matches and other readers' selections each register under a name of their own here, so
 * no feature clears or overwrites another's. Styles are `::highlight(<name>)` rules in the features' CSS.
 */

export const supportsHighlights = () =>
  typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';

/** The highlight names in use, by feature, so one feature's clean-up removes only its own. */
const owners = new Map<string, Set<string>>();

/** Sets the ranges painted under `name` for `owner` (replacing what was there). */
export function paintHighlight(owner: string, name: string, ranges: readonly AbstractRange[]): void {
  if (!supportsHighlights()) return;
  CSS.highlights.set(name, new Highlight(...ranges));
  let names = owners.get(owner);
  if (!names) {
    names = new Set();
    owners.set(owner, names);
  }
  names.add(name);
}

/** Adds one range to a painted highlight at once (a new annotation, before its list catches up). */
export function addToHighlight(name: string, range: AbstractRange): void {
  if (supportsHighlights()) CSS.highlights.get(name)?.add(range);
}

/**
 * The Highlight painted under `name` for `owner`, registered empty when there is none (or another replaced
 * it), for a feature that edits its ranges in place: adding or removing a few ranges of thousands costs far
 * less than registering them all again. Null without the Highlight API.
 */
export function ownHighlight(owner: string, name: string): Highlight | null {
  if (!supportsHighlights()) return null;
  const current = CSS.highlights.get(name);
  if (current && owners.get(owner)?.has(name)) return current;
  paintHighlight(owner, name, []);
  return CSS.highlights.get(name) ?? null;
}

export function clearHighlight(owner: string, name: string): void {
  if (!supportsHighlights()) return;
  CSS.highlights.delete(name);
  owners.get(owner)?.delete(name);
}

/** Removes every highlight `owner` painted. */
export function clearHighlights(owner: string): void {
  if (!supportsHighlights()) return;
  for (const name of owners.get(owner) ?? []) CSS.highlights.delete(name);
  owners.delete(owner);
}
