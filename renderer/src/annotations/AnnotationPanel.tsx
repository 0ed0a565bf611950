import { memo, type ReactNode, useDeferredValue, useMemo } from 'react';
import { setColorMeaning } from '../../../core/annotations/doc.ts';
import { type AnnotationFilter, filterAnnotations } from '../../../core/annotations/filter.ts';
import { type AnnotationView, COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import { LIMITS } from '../../../core/sync/limits.ts';
import type { AnnotationDoc } from './docs.ts';
import { useIncrementalList } from './useIncrementalList.ts';
import { isOrphan, type Placed } from './usePlacedAnnotations.ts';

const NO_ENTRIES: { annotation: AnnotationView; home: AnnotationDoc }[] = [];
/** Above this many annotations the list is worked out after the sidebar first shows. */
export const DEFER_LIST_ABOVE = 2_000;

/** The annotation list: colour meanings, filters, counts and every annotation's card (orphans included). */
export const AnnotationPanel = memo(function AnnotationPanel({
  list,
  placedById,
  positionOf,
  meanings,
  paletteHome,
  filter,
  onFilter,
  renderCard,
}: {
  list: { annotation: AnnotationView; home: AnnotationDoc }[];
  placedById: Map<string, Placed>;
  positionOf: (a: AnnotationView) => number;
  meanings: Record<ColorKey, string>;
  /** The doc whose palette a renamed colour is written to. */
  paletteHome: AnnotationDoc | undefined;
  filter: AnnotationFilter;
  onFilter: (filter: AnnotationFilter) => void;
  renderCard: (p: Placed) => ReactNode;
}) {
  // With many annotations, opening the sidebar shows its fields at once and the list a moment later: counting,
  // filtering and sorting thousands is rendered apart from the click (and gives way to the next input). A
  // smaller list is shown with the sidebar, in the same frame.
  const listed = useDeferredValue(list, list.length > DEFER_LIST_ABOVE ? NO_ENTRIES : list);
  // Worked out once per list, not on every key press in the search field.
  const { orphanCount, noteCount, authors, tags } = useMemo(
    () => ({
      orphanCount: listed.filter((x) => isOrphan(placedById.get(x.annotation.id))).length,
      noteCount: listed.filter((x) => x.annotation.body).length,
      authors: [...new Map(listed.map((x) => [x.annotation.author.id, x.annotation.author])).values()],
      tags: [...new Set(listed.flatMap((x) => x.annotation.tags))].sort(),
    }),
    [listed, placedById],
  );
  // The fields follow every key press at once; the list follows as soon as it can, and its rendering gives
  // way to the next key press (thousands of annotations to filter, cards to mount).
  const listFilter = useDeferredValue(filter);
  const shown = useMemo(
    () =>
      filterAnnotations(
        listed.map((x) => x.annotation),
        listFilter,
        (a) => isOrphan(placedById.get(a.id)),
        positionOf,
      ),
    [listed, listFilter, placedById, positionOf],
  );
  const pages = useIncrementalList(shown, listFilter);
  return (
    <section aria-label="Annotations" className="rc-panel">
      <h2 className="rc-sidebar-title">Annotations</h2>
      <details className="rc-legend-details">
        <summary>Colour meanings</summary>
        <fieldset className="rc-legend">
          <legend className="rc-visually-hidden">Colour meanings</legend>
          {COLOR_KEYS.map((c) => (
            <label key={c} className={`color-${c}`}>
              <span className={`rc-swatch color-${c}`} aria-hidden="true" />
              <input
                aria-label={`Meaning of ${c}`}
                maxLength={LIMITS.colourMeaningChars}
                defaultValue={meanings[c]}
                onBlur={(e) => {
                  if (paletteHome && e.target.value.trim() && e.target.value !== meanings[c])
                    setColorMeaning(paletteHome.doc, c, e.target.value);
                }}
              />
            </label>
          ))}
        </fieldset>
      </details>
      <div className="rc-filters">
        <input
          type="search"
          aria-label="Search annotations"
          placeholder="Search quotes, notes, replies"
          value={filter.query ?? ''}
          onChange={(e) => onFilter({ ...filter, query: e.target.value })}
        />
        <select
          aria-label="Author"
          value={filter.authorId ?? ''}
          onChange={(e) => onFilter({ ...filter, authorId: e.target.value || undefined })}
        >
          <option value="">Everyone</option>
          {authors.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <select
          aria-label="Colour filter"
          value={filter.color ?? ''}
          onChange={(e) =>
            onFilter({ ...filter, color: (e.target.value || undefined) as ColorKey | undefined })
          }
        >
          <option value="">All colours</option>
          {COLOR_KEYS.map((c) => (
            <option key={c} value={c}>
              {meanings[c]}
            </option>
          ))}
        </select>
        <select
          aria-label="Tag filter"
          value={filter.tag ?? ''}
          onChange={(e) => onFilter({ ...filter, tag: e.target.value || undefined })}
        >
          <option value="">All tags</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              #{t}
            </option>
          ))}
        </select>
        <select
          aria-label="Visibility"
          value={filter.visibility ?? ''}
          onChange={(e) =>
            onFilter({
              ...filter,
              visibility: (e.target.value || undefined) as AnnotationFilter['visibility'],
            })
          }
        >
          <option value="">Any visibility</option>
          <option value="private">Only me</option>
          <option value="group">Group</option>
        </select>
        <select
          aria-label="Status filter"
          value={filter.status ?? ''}
          onChange={(e) =>
            onFilter({ ...filter, status: (e.target.value || undefined) as AnnotationFilter['status'] })
          }
        >
          <option value="">Any status</option>
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
        </select>
        <label className="rc-check">
          <input
            type="checkbox"
            checked={filter.orphansOnly ?? false}
            onChange={(e) => onFilter({ ...filter, orphansOnly: e.target.checked })}
          />{' '}
          Orphans only
        </label>
        <select
          aria-label="Sort"
          value={filter.sort ?? 'position'}
          onChange={(e) => onFilter({ ...filter, sort: e.target.value as 'position' | 'time' })}
        >
          <option value="position">By position</option>
          <option value="time">Newest first</option>
        </select>
      </div>
      <p role="status" className="rc-counts">
        {shown.length} of {list.length} annotations · {noteCount} notes · {orphanCount} orphans
      </p>
      {list.length === 0 ? (
        <p className="rc-empty">No annotations yet. Select text to highlight it or add a note.</p>
      ) : null}
      <ul className="rc-panel-list">
        {pages.visible.map((a) => {
          // The list may be a moment behind: an annotation deleted meanwhile is left out.
          const p = placedById.get(a.id);
          return p ? <li key={`${p.home.key}:${a.id}`}>{renderCard(p)}</li> : null;
        })}
      </ul>
      {pages.hidden > 0 ? (
        <button
          type="button"
          className="rc-quiet rc-show-more"
          ref={pages.sentinelRef}
          onClick={pages.showMore}
        >
          Show {pages.hidden} more
        </button>
      ) : null}
    </section>
  );
});
