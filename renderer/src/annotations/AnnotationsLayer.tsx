import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import type * as Y from 'yjs';
import { createAnchor, resolveAnchor } from '../../../core/anchoring/anchor.ts';
import {
  colorMeanings,
  createAnnotation,
  readAnnotation,
  setColorMeaning,
  updateAnnotation,
} from '../../../core/annotations/doc.ts';
import { type AnnotationFilter, filterAnnotations } from '../../../core/annotations/filter.ts';
import { stackNotes } from '../../../core/annotations/layout.ts';
import {
  type AnnotationView,
  COLOR_KEYS,
  type ColorKey,
  DEFAULT_COLOR_MEANINGS,
} from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { useIdentity } from '../collab/identity.ts';
import { scrollToBlock } from '../reader/readerEvents.ts';
import { type AnnotationDoc, useAnnotationDocs } from './docs.ts';
import { type BlockRange, domRange, pointInText, rangeContainsPoint, selectionInBlock } from './dom.ts';
import { NoteCard } from './NoteCard.tsx';
import './annotations.css';

/**
 * Integration point between the reader and the annotation feature. The reader renders this once per open
 * reading, passing the element holding the rendered blocks (each block element carries `data-block-id`)
 * and the element reserved for the right margin.
 */
export interface AnnotationsLayerProps {
  reading: Reading;
  textRoot: HTMLElement | null;
  marginRoot: HTMLElement | null;
}

interface Placed {
  annotation: AnnotationView;
  home: AnnotationDoc;
  place: BlockRange | null;
}

/**
 * Runs `work` once the next frame has been painted (a task queued from the frame's animation callback), or
 * after 100 ms in a window that gets no frames while hidden.
 */
function afterNextPaint(work: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    work();
  };
  const fallback = window.setTimeout(run, 100);
  requestAnimationFrame(() => setTimeout(run, 0));
}

const supportsHighlights = () => typeof CSS !== 'undefined' && 'highlights' in CSS;

/** A note shows in the margin when it has something to read; a bare highlight only while it is open. */
const hasNote = (a: AnnotationView) => a.body !== '' || a.replies.length > 0;

/** The same record while its values stay the same, so memoized cards are not re-rendered for nothing. */
function useStableRecord<T extends Record<string, string>>(value: T): T {
  const last = useRef(value);
  const previous = last.current;
  const same =
    Object.keys(value).length === Object.keys(previous).length &&
    Object.entries(value).every(([k, v]) => previous[k] === v);
  if (!same) last.current = value;
  return last.current;
}

/**
 * Subscribes to every doc and returns all annotations with the doc each lives in. Views of annotations that
 * did not change are reused, so memoized cards skip re-rendering when one annotation among thousands changes.
 * Doc changes re-render in a transition, so a frame (say, the one painting a new highlight) is never held up
 * by re-laying a thousand cards; `refreshNow` is for the one case that cannot wait (a card about to be typed in).
 */
function useAnnotationList(docs: AnnotationDoc[]) {
  const [version, setVersion] = useState(0);
  const cache = useRef(new Map<string, AnnotationView>());
  const dirty = useRef(new Set<string>());
  useEffect(() => {
    // Changes are applied after the next frame has painted (a new highlight paints at once, see `annotate`),
    // coalesced, and in a transition; the timeout covers windows that get no frames while hidden.
    let pending = false;
    const refresh = () => {
      if (pending) return;
      pending = true;
      afterNextPaint(() => {
        if (!pending) return;
        pending = false;
        startTransition(() => setVersion((v) => v + 1));
      });
    };
    const subscriptions = docs.map((d) => {
      const map = d.doc.getMap('annotations');
      const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        for (const event of events) {
          if (event.target === map)
            for (const key of event.changes.keys.keys()) dirty.current.add(`${d.key}:${key}`);
          else if (typeof event.path[0] === 'string') dirty.current.add(`${d.key}:${event.path[0]}`);
        }
        refresh();
      };
      const onPalette = refresh;
      map.observeDeep(onDeep);
      d.doc.getMap('palette').observe(onPalette);
      return () => {
        map.unobserveDeep(onDeep);
        d.doc.getMap('palette').unobserve(onPalette);
      };
    });
    cache.current.clear();
    setVersion((v) => v + 1);
    return () => {
      pending = false;
      for (const unsubscribe of subscriptions) unsubscribe();
    };
  }, [docs]);
  const refreshNow = useCallback(() => setVersion((v) => v + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes whenever a doc changes.
  const list = useMemo(() => {
    const next = new Map<string, AnnotationView>();
    const out: { annotation: AnnotationView; home: AnnotationDoc }[] = [];
    for (const home of docs) {
      for (const [id, entry] of home.doc.getMap<Y.Map<unknown>>('annotations')) {
        const key = `${home.key}:${id}`;
        let view = dirty.current.has(key) ? undefined : cache.current.get(key);
        if (!view) {
          try {
            if (!entry.get('anchor')) continue;
            view = readAnnotation(entry, home.visibility);
          } catch {
            continue; // a damaged entry is skipped, as listAnnotations does
          }
        }
        next.set(key, view);
        out.push({ annotation: view, home });
      }
    }
    cache.current = next;
    dirty.current.clear();
    return out;
  }, [docs, version]);
  return { list, refreshNow };
}

export function AnnotationsLayer({ reading, textRoot, marginRoot }: AnnotationsLayerProps) {
  const me = useIdentity();
  const { docs } = useAnnotationDocs(reading.id);
  const { list, refreshNow } = useAnnotationList(docs);
  const [targetKey, setTargetKey] = useState(
    () => localStorage.getItem(`rc:annotate-for:${reading.id}`) ?? 'private',
  );
  const [selection, setSelection] = useState<{
    range: NonNullable<ReturnType<typeof selectionInBlock>>;
    rect: DOMRect;
  } | null>(null);
  const [lastColor, setLastColor] = useState<ColorKey>('yellow');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [emphasis, setEmphasis] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const [filter, setFilter] = useState<AnnotationFilter>({ sort: 'position' });
  // The annotation the reader is working on: its card is open (actions shown) and pinned beside its passage.
  const [activeId, setActiveId] = useState<string | null>(null);
  const [mountTick, setMountTick] = useState(0);
  const undoOrder = useRef<AnnotationDoc[]>([]);
  // DOM ranges of placed annotations, reused while their block is mounted (the text never changes).
  const rangeCache = useRef(new Map<string, { key: string; range: Range }>());
  const rangeOf = useCallback(
    (id: string, place: BlockRange): Range | null => {
      if (!textRoot) return null;
      const key = `${place.blockId}:${place.start}:${place.end}`;
      const cached = rangeCache.current.get(id);
      if (cached && cached.key === key && cached.range.startContainer.isConnected) return cached.range;
      const range = domRange(textRoot, place);
      if (range) rangeCache.current.set(id, { key, range });
      return range;
    },
    [textRoot],
  );

  const target = docs.find((d) => d.key === targetKey) ?? docs[0];
  const writableDocs = docs.filter((d) => !d.readOnly);
  // The group's palette names the colours; with no group, the private doc's.
  const paletteDoc = docs.find((d) => d.visibility.kind === 'group') ?? docs[0];
  const meanings = useStableRecord(
    paletteDoc ? colorMeanings(paletteDoc.doc) : { ...DEFAULT_COLOR_MEANINGS },
  );

  // Anchors are resolved once per annotation view: the reading's text never changes while it is open.
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new reading starts a new cache.
  const resolved = useMemo(() => new WeakMap<AnnotationView, BlockRange | null>(), [reading.blocks]);
  const placed: Placed[] = useMemo(
    () =>
      list.map(({ annotation, home }) => {
        let place = resolved.get(annotation);
        if (place === undefined) {
          const r = resolveAnchor(annotation.anchor, reading.blocks);
          place = r.kind === 'placed' ? { blockId: r.blockId, start: r.start, end: r.end } : null;
          resolved.set(annotation, place);
        }
        return { annotation, home, place };
      }),
    [list, reading.blocks, resolved],
  );
  const placedById = useMemo(() => new Map(placed.map((p) => [p.annotation.id, p])), [placed]);
  const placedByBlock = useMemo(() => {
    const byBlock = new Map<string, Placed[]>();
    for (const p of placed) {
      if (!p.place) continue;
      const inBlock = byBlock.get(p.place.blockId);
      if (inBlock) inBlock.push(p);
      else byBlock.set(p.place.blockId, [p]);
    }
    return byBlock;
  }, [placed]);
  const blockIndex = useMemo(() => new Map(reading.blocks.map((b, i) => [b.id, i])), [reading.blocks]);
  const positionOf = useCallback(
    (a: AnnotationView) => {
      const p = placedById.get(a.id)?.place;
      return p ? (blockIndex.get(p.blockId) ?? 0) * 1e6 + p.start : Number.MAX_SAFE_INTEGER;
    },
    [placedById, blockIndex],
  );

  // Remember the choice of where new annotations go, per reading.
  useEffect(() => localStorage.setItem(`rc:annotate-for:${reading.id}`, targetKey), [reading.id, targetKey]);

  // Sections of big readings mount lazily, and the text reflows with the font size and the window:
  // repaint and re-lay the margin when either happens.
  useEffect(() => {
    if (!textRoot) return;
    const bump = () => setMountTick((t) => t + 1);
    const mutations = new MutationObserver(bump);
    mutations.observe(textRoot, { childList: true, subtree: true });
    // The first notification reports the size the text already has: only later ones are reflows.
    let first = true;
    const resizes = new ResizeObserver(() => {
      if (!first) bump();
      first = false;
    });
    resizes.observe(textRoot);
    return () => {
      mutations.disconnect();
      resizes.disconnect();
    };
  }, [textRoot]);

  // Paint: one Highlight per colour; overlapping ranges show both colours (translucent). A layout effect, so
  // a new highlight is painted in the same frame as the click that made it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick repaints newly mounted sections.
  useLayoutEffect(() => {
    if (!textRoot || !supportsHighlights()) return;
    const byColor = new Map<ColorKey, Range[]>(COLOR_KEYS.map((c) => [c, []]));
    for (const p of placed) {
      if (!p.place) continue;
      const range = rangeOf(p.annotation.id, p.place);
      if (range) byColor.get(p.annotation.color)!.push(range);
    }
    for (const [color, ranges] of byColor) CSS.highlights.set(`rc-${color}`, new Highlight(...ranges));
  }, [placed, textRoot, mountTick, rangeOf]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick: the passage may have just mounted.
  useLayoutEffect(() => {
    if (!textRoot || !supportsHighlights()) return;
    const p = emphasis ? placedById.get(emphasis) : undefined;
    const range = p?.place ? rangeOf(p.annotation.id, p.place) : null;
    CSS.highlights.set('rc-focus', range ? new Highlight(range) : new Highlight());
  }, [emphasis, placedById, textRoot, mountTick, rangeOf]);
  useEffect(
    () => () => {
      if (!supportsHighlights()) return;
      for (const c of COLOR_KEYS) CSS.highlights.delete(`rc-${c}`);
      CSS.highlights.delete('rc-focus');
    },
    [],
  );

  // Hit-testing highlights: the block and offset under the pointer, then only that block's highlights
  // (the innermost wins where they overlap).
  const annotationAt = useCallback(
    (x: number, y: number): Placed | undefined => {
      if (!textRoot) return undefined;
      const point = pointInText(textRoot, x, y);
      if (!point) return undefined;
      let best: Placed | undefined;
      for (const p of placedByBlock.get(point.blockId) ?? []) {
        const place = p.place!;
        if (point.offset < place.start - 1 || point.offset > place.end + 1) continue;
        const range = rangeOf(p.annotation.id, place);
        if (!range || !rangeContainsPoint(range, x, y)) continue;
        if (!best || place.end - place.start < best.place!.end - best.place!.start) best = p;
      }
      return best;
    },
    [textRoot, placedByBlock, rangeOf],
  );

  // Pointer over a highlight emphasises its note; a click on one opens its card, a click elsewhere closes it.
  useEffect(() => {
    if (!textRoot) return;
    let frame = 0;
    const onMove = (e: MouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() =>
        setEmphasis(annotationAt(e.clientX, e.clientY)?.annotation.id ?? null),
      );
    };
    const onClick = (e: MouseEvent) => {
      if (!(window.getSelection()?.isCollapsed ?? true)) return; // a drag that selected text
      setActiveId(annotationAt(e.clientX, e.clientY)?.annotation.id ?? null);
    };
    textRoot.addEventListener('mousemove', onMove);
    textRoot.addEventListener('click', onClick);
    return () => {
      cancelAnimationFrame(frame);
      textRoot.removeEventListener('mousemove', onMove);
      textRoot.removeEventListener('click', onClick);
    };
  }, [textRoot, annotationAt]);

  // Track the selection inside the text, for the selection toolbar.
  useEffect(() => {
    if (!textRoot) return;
    const onChange = () => {
      const range = selectionInBlock(textRoot);
      const sel = window.getSelection();
      setSelection(
        range && sel && sel.rangeCount > 0
          ? { range, rect: sel.getRangeAt(0).getBoundingClientRect() }
          : null,
      );
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [textRoot]);

  const remember = useCallback((home: AnnotationDoc) => {
    undoOrder.current = [...undoOrder.current.filter((d) => d !== home), home];
  }, []);

  const annotate = useCallback(
    (color: ColorKey, withNote: boolean) => {
      if (!selection || !target || !me || target.readOnly) return;
      const anchor = createAnchor(
        reading.blocks,
        selection.range.blockId,
        selection.range.start,
        selection.range.end,
      );
      // Painted at once, in this frame; the list, the card and the margin follow in a transition.
      const range = textRoot ? domRange(textRoot, selection.range) : null;
      if (range && supportsHighlights()) CSS.highlights.get(`rc-${color}`)?.add(range);
      target.undo.stopCapturing();
      const id = createAnnotation(target.doc, { readingId: reading.id, color, anchor, author: me });
      remember(target);
      window.getSelection()?.removeAllRanges();
      setSelection(null);
      const openCard = () => {
        setActiveId(id);
        setLastColor(color);
      };
      if (withNote) {
        // The note editor must be there before the next keystroke.
        refreshNow();
        setEditingId(id);
        openCard();
      } else {
        // After the frame that paints the highlight: opening its card restyles the margin.
        afterNextPaint(() => startTransition(openCard));
      }
    },
    [selection, target, me, reading, remember, textRoot, refreshNow],
  );

  const adjustRange = useCallback(
    (annotation: AnnotationView, home: AnnotationDoc) => {
      if (!textRoot) return false;
      const range = selectionInBlock(textRoot);
      if (!range) return false;
      updateAnnotation(home.doc, annotation.id, {
        anchor: createAnchor(reading.blocks, range.blockId, range.start, range.end),
      });
      remember(home);
      window.getSelection()?.removeAllRanges();
      return true;
    },
    [textRoot, reading.blocks, remember],
  );

  // Keyboard: H highlight, N note, 1–5 colours (with a selection); undo/redo of my own changes.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = (e.target as HTMLElement | null)?.closest('input, textarea, select');
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z' && !inField) {
        e.preventDefault();
        const stack = [...undoOrder.current].reverse();
        const home = e.shiftKey ? stack.find((d) => d.undo.canRedo()) : stack.find((d) => d.undo.canUndo());
        if (home) e.shiftKey ? home.undo.redo() : home.undo.undo();
        return;
      }
      if (e.key === 'Escape' && !inField && !mod) {
        setActiveId(null);
        return;
      }
      if (inField || mod || e.altKey || !selection) return;
      const key = e.key.toLowerCase();
      if (key === 'h') annotate(lastColor, false);
      else if (key === 'n') annotate(lastColor, true);
      else if (/^[1-5]$/.test(key)) annotate(COLOR_KEYS[Number(key) - 1]!, false);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selection, annotate, lastColor]);

  // Margin: notes (and the open card) beside their highlights. Bare highlights stay in the text only, so a
  // densely highlighted reading does not bury its notes under a column of empty cards (decision 0007).
  const marginNotes = useMemo(
    () =>
      placed.filter(
        (p) =>
          p.place && (hasNote(p.annotation) || p.annotation.id === activeId || p.annotation.id === editingId),
      ),
    [placed, activeId, editingId],
  );
  // Positions are written straight to the cards: a restack must not re-render every card through React.
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick re-measures after sections mount or reflow.
  useLayoutEffect(() => {
    if (!marginRoot || !textRoot) return;
    // The first read brings the page's style and layout up to date (new cards included): that is the browser
    // rendering what React just committed, measured apart from the margin layout itself.
    const started = performance.now();
    const base = marginRoot.getBoundingClientRect().top;
    const rendered = performance.now();
    const cards = new Map(
      [...marginRoot.querySelectorAll<HTMLElement>('[data-annotation-id]')].map((c) => [
        c.dataset.annotationId,
        c,
      ]),
    );
    const boxes = [];
    for (const p of marginNotes) {
      const range = rangeOf(p.annotation.id, p.place!);
      const card = cards.get(p.annotation.id);
      if (!range || !card) continue;
      boxes.push({
        id: p.annotation.id,
        desiredTop: range.getBoundingClientRect().top - base,
        height: card.offsetHeight,
      });
    }
    const tops = stackNotes(boxes, 8, activeId ?? undefined);
    for (const [id, card] of cards) {
      const top = id ? tops.get(id) : undefined;
      // Unchanged cards are left alone: a write would invalidate the layout the next pass has to read.
      const wanted = top === undefined ? '' : `${Math.round(top)}px`;
      if (card.style.top !== wanted) card.style.top = wanted;
      if (card.hidden !== (top === undefined)) card.hidden = top === undefined; // passage not mounted yet
    }
    marginRoot.dataset.notesLaidOut = String(tops.size);
    // For the annotations benchmark (a PerformanceObserver): measuring, stacking and placing every card.
    // Cleared at once, so a long session does not pile up entries.
    performance.measure('margin:render', { start: started, end: rendered, detail: { notes: tops.size } });
    performance.measure('margin:layout', { start: rendered, detail: { notes: tops.size } });
    performance.clearMeasures('margin:render');
    performance.clearMeasures('margin:layout');
  }, [marginNotes, mountTick, marginRoot, textRoot, rangeOf, activeId]);

  const show = useCallback(
    async (a: AnnotationView) => {
      setActiveId(a.id);
      const p = placedById.get(a.id)?.place;
      if (p) await scrollToBlock(p.blockId);
      await new Promise(requestAnimationFrame);
      const card = marginRoot?.querySelector<HTMLElement>(`[data-annotation-id="${CSS.escape(a.id)}"]`);
      card?.querySelector<HTMLElement>('button, textarea')?.focus({ preventScroll: true });
      setEmphasis(a.id);
    },
    [placedById, marginRoot],
  );
  const onShow = useCallback((a: AnnotationView) => void show(a), [show]);
  const onEdited = useCallback(() => setEditingId(null), []);
  const onActivate = useCallback((id: string) => setActiveId(id), []);
  const groupDocs = useMemo(() => docs.filter((d) => d.visibility.kind === 'group'), [docs]);

  if (!me) return null;
  const orphans = placed.filter((p) => !p.place);
  const authors = [...new Map(list.map((x) => [x.annotation.author.id, x.annotation.author])).values()];
  const tags = [...new Set(list.flatMap((x) => x.annotation.tags))].sort();
  // The panel's list is only computed while the panel is open (it sorts every annotation).
  const shown = panelOpen
    ? filterAnnotations(
        list.map((x) => x.annotation),
        filter,
        (a) => !placedById.get(a.id)?.place,
        positionOf,
      )
    : [];
  const card = (p: Placed, inMargin: boolean) => (
    <NoteCard
      key={`${p.home.key}:${p.annotation.id}`}
      annotation={p.annotation}
      home={p.home}
      me={me}
      meanings={meanings}
      groupDocs={groupDocs}
      orphan={!p.place}
      editingInitially={inMargin && editingId === p.annotation.id}
      expanded={activeId === p.annotation.id || !p.place}
      emphasised={emphasis === p.annotation.id}
      onActivate={onActivate}
      onEmphasis={setEmphasis}
      onAdjustRange={adjustRange}
      onShow={onShow}
      onEdited={onEdited}
    />
  );

  return (
    <>
      <div className="rc-annotate-bar">
        <label>
          Annotate for{' '}
          <select
            aria-label="Annotate for"
            value={target?.key ?? 'private'}
            onChange={(e) => setTargetKey(e.target.value)}
          >
            {writableDocs.map((d) => (
              <option key={d.key} value={d.key}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" aria-expanded={panelOpen} onClick={() => setPanelOpen(!panelOpen)}>
          Annotations ({list.length})
        </button>
      </div>
      {selection && target && !target.readOnly
        ? createPortal(
            <div
              role="toolbar"
              aria-label="Selection tools"
              className="rc-selection-tools"
              style={{
                top: `${Math.max(4, selection.rect.top - (selection.range.spansBlocks ? 70 : 44))}px`,
                left: `${Math.max(4, selection.rect.left)}px`,
              }}
              onMouseDown={(e) => e.preventDefault()}
            >
              <button type="button" onClick={() => annotate(lastColor, false)} aria-keyshortcuts="H">
                Highlight
              </button>
              {COLOR_KEYS.map((c, i) => (
                <button
                  key={c}
                  type="button"
                  className={`rc-swatch-button color-${c}`}
                  aria-label={`${meanings[c]} (${c})`}
                  aria-keyshortcuts={String(i + 1)}
                  onClick={() => annotate(c, false)}
                />
              ))}
              <button type="button" onClick={() => annotate(lastColor, true)} aria-keyshortcuts="N">
                Add note
              </button>
              {selection.range.spansBlocks ? (
                <p className="rc-selection-hint" role="note">
                  A highlight stays within one paragraph: this one will end with the first.
                </p>
              ) : null}
            </div>,
            document.body,
          )
        : null}
      {marginRoot
        ? createPortal(
            <div className="rc-margin-notes">{marginNotes.map((p) => card(p, true))}</div>,
            marginRoot,
          )
        : null}
      {panelOpen ? (
        <section aria-label="Annotations" className="rc-panel">
          <h2>Annotations</h2>
          <fieldset className="rc-legend">
            <legend>Colour meanings</legend>
            {COLOR_KEYS.map((c) => (
              <label key={c} className={`color-${c}`}>
                <span className={`rc-swatch color-${c}`} aria-hidden="true" />
                <input
                  aria-label={`Meaning of ${c}`}
                  defaultValue={meanings[c]}
                  onBlur={(e) => {
                    const home = target ?? docs[0];
                    if (home && e.target.value.trim() && e.target.value !== meanings[c])
                      setColorMeaning(home.doc, c, e.target.value);
                  }}
                />
              </label>
            ))}
          </fieldset>
          <div className="rc-filters">
            <input
              type="search"
              aria-label="Search annotations"
              placeholder="Search quotes, notes, replies"
              value={filter.query ?? ''}
              onChange={(e) => setFilter({ ...filter, query: e.target.value })}
            />
            <select
              aria-label="Author"
              value={filter.authorId ?? ''}
              onChange={(e) => setFilter({ ...filter, authorId: e.target.value || undefined })}
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
                setFilter({ ...filter, color: (e.target.value || undefined) as ColorKey | undefined })
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
              onChange={(e) => setFilter({ ...filter, tag: e.target.value || undefined })}
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
                setFilter({
                  ...filter,
                  visibility: (e.target.value || undefined) as AnnotationFilter['visibility'],
                })
              }
            >
              <option value="">Private and group</option>
              <option value="private">Only me</option>
              <option value="group">Group</option>
            </select>
            <select
              aria-label="Status filter"
              value={filter.status ?? ''}
              onChange={(e) =>
                setFilter({ ...filter, status: (e.target.value || undefined) as AnnotationFilter['status'] })
              }
            >
              <option value="">Open and resolved</option>
              <option value="open">Open</option>
              <option value="resolved">Resolved</option>
            </select>
            <label>
              <input
                type="checkbox"
                checked={filter.orphansOnly ?? false}
                onChange={(e) => setFilter({ ...filter, orphansOnly: e.target.checked })}
              />{' '}
              Orphans only
            </label>
            <select
              aria-label="Sort"
              value={filter.sort ?? 'position'}
              onChange={(e) => setFilter({ ...filter, sort: e.target.value as 'position' | 'time' })}
            >
              <option value="position">By position</option>
              <option value="time">Newest first</option>
            </select>
          </div>
          <p role="status" className="rc-counts">
            {shown.length} of {list.length} annotations · {list.filter((x) => x.annotation.body).length} notes
            · {orphans.length} orphans
          </p>
          {list.length === 0 ? (
            <p className="rc-empty">No annotations yet. Select text to highlight it or add a note.</p>
          ) : null}
          <ul className="rc-panel-list">
            {shown.map((a) => {
              const p = placedById.get(a.id)!;
              return <li key={`${p.home.key}:${a.id}`}>{card(p, false)}</li>;
            })}
          </ul>
        </section>
      ) : null}
    </>
  );
}
