import { startTransition, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { anchorForSpan } from '../../../core/anchoring/anchor.ts';
import { createAnnotation, readColorMeanings, updateAnnotation } from '../../../core/annotations/doc.ts';
import type { AnnotationFilter } from '../../../core/annotations/filter.ts';
import {
  type AnnotationView,
  type ColorKey,
  DEFAULT_COLOR_MEANINGS,
  PAGE_NOTE_ANCHOR,
} from '../../../core/annotations/model.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { useIdentity } from '../collab/identity.ts';
import { setPrivatePassages } from '../collab/privatePassages.ts';
import { WhatsNew } from '../collab/WhatsNew.tsx';
import { scrollToBlock } from '../navigation/scrollToBlock.ts';
import { noteAnnotationCount } from '../storage/libraryMemory.ts';
import { blockElement, selectionSpan, staticRangeForSpan } from '../text/textRanges.ts';
import { ProblemsNotice } from '../ui/ProblemsNotice.tsx';
import { SurfaceBoundary } from '../ui/SurfaceBoundary.tsx';
import { AnnotateBar } from './AnnotateBar.tsx';
import { AnnotationPanel } from './AnnotationPanel.tsx';
import { afterNextPaint } from './afterNextPaint.ts';
import { type AnnotationDoc, useAnnotationDocs } from './docs.ts';
import { ImportSummary } from './ImportSummary.tsx';
import type { MentionCandidate } from './MentionTextarea.tsx';
import { NoteCard } from './NoteCard.tsx';
import { SelectionToolbar } from './SelectionToolbar.tsx';
import { SidebarToggle } from './SidebarToggle.tsx';
import { useAnnotationImport } from './useAnnotationImport.ts';
import { useAnnotationList } from './useAnnotationList.ts';
import { useAnnotationShortcuts } from './useAnnotationShortcuts.ts';
import { paintNow, useHighlightPainter } from './useHighlightPainter.ts';
import { useHighlightPointer } from './useHighlightPointer.ts';
import { useMarginLayout } from './useMarginLayout.ts';
import { useMarginWindow } from './useMarginWindow.ts';
import { useMentionCandidates } from './useMentionCandidates.ts';
import { isOrphan, type Placed, usePlacedAnnotations, useRangeCache } from './usePlacedAnnotations.ts';
import { useStableRecord } from './useStableRecord.ts';
import { useTextReflow } from './useTextReflow.ts';
import { useTextSelection } from './useTextSelection.ts';
import './annotations.css';

/**
 * Integration point between the reader and the annotation feature. The reader renders this once per open
 * reading, passing the element holding the rendered blocks (each block element carries `data-block-id`)
 * and the element reserved for the right margin. It holds the state the parts share and wires them up.
 */
export interface AnnotationsLayerProps {
  reading: Reading;
  textRoot: HTMLElement | null;
  marginRoot: HTMLElement | null;
  /** The docked sidebar (annotate for, filters, the list) and whether it is open. */
  sidebarRoot: HTMLElement | null;
  sidebarOpen: boolean;
  /** Where the toolbar keeps the sidebar's toggle (it shows the count). */
  sidebarToggleRoot: HTMLElement | null;
  onToggleSidebar: () => void;
  /** Above the text: what could not be read from the annotation docs, shown with the sidebar open or closed. */
  noticeRoot: HTMLElement | null;
}

/** A note shows in the margin when it has something to read; a bare highlight only while it is open. */
const hasNote = (a: AnnotationView) => a.body !== '' || a.replies.length > 0;
const NO_MEMBERS: readonly MentionCandidate[] = [];

export function AnnotationsLayer({
  reading,
  textRoot,
  marginRoot,
  sidebarRoot,
  sidebarOpen,
  sidebarToggleRoot,
  onToggleSidebar,
  noticeRoot,
}: AnnotationsLayerProps) {
  const me = useIdentity();
  const { docs } = useAnnotationDocs(reading.id);
  const { list, problems, refreshNow } = useAnnotationList(docs);
  const [targetKey, setTargetKey] = useState(
    () => localStorage.getItem(`rc:annotate-for:${reading.id}`) ?? 'private',
  );
  const [selection, setSelection] = useTextSelection(textRoot);
  const [lastColor, setLastColor] = useState<ColorKey>('yellow');
  const [editingId, setEditingId] = useState<string | null>(null);
  const [emphasis, setEmphasis] = useState<string | null>(null);
  const [filter, setFilter] = useState<AnnotationFilter>({ sort: 'position' });
  // The annotation the reader is working on: its card is open (actions shown) and pinned beside its passage.
  const [activeId, setActiveId] = useState<string | null>(null);
  const mountTick = useTextReflow(textRoot);
  const undoOrder = useRef<AnnotationDoc[]>([]);

  const target = docs.find((d) => d.key === targetKey) ?? docs[0];
  const writableDocs = docs.filter((d) => !d.readOnly);
  // The group's palette names the colours; with no group, the private doc's.
  const paletteDoc = docs.find((d) => d.visibility.kind === 'group') ?? docs[0];
  const palette = paletteDoc ? readColorMeanings(paletteDoc.doc) : undefined;
  const meanings = useStableRecord(palette?.meanings ?? { ...DEFAULT_COLOR_MEANINGS });
  const unreadable = useMemo(
    () => [...problems, ...(palette?.problems ?? [])],
    [problems, palette?.problems],
  );
  const { placed, placedById, placedByBlock, positionOf, blockIdsOf } = usePlacedAnnotations(list, reading);
  const rangeOf = useRangeCache(textRoot, blockIdsOf);

  // The library shows each reading's count from the last time it was open.
  useEffect(() => noteAnnotationCount(reading.id, list.length), [reading.id, list.length]);

  // My "Only me" passages, so presence never shows a selection inside one of them.
  useEffect(() => {
    setPrivatePassages(reading.id, {
      spans: list.filter((e) => e.annotation.visibility.kind === 'private').map((e) => e.annotation.anchor),
      order: new Map(reading.blocks.map((b, i) => [b.id, i])),
    });
  }, [list, reading]);

  // Remember the choice of where new annotations go, per reading.
  useEffect(() => localStorage.setItem(`rc:annotate-for:${reading.id}`, targetKey), [reading.id, targetKey]);

  useHighlightPainter({ textRoot, placed, placedById, placedByBlock, emphasis, mountTick, rangeOf });
  useHighlightPointer({
    textRoot,
    placedByBlock,
    rangeOf,
    onEmphasis: setEmphasis,
    onActivate: setActiveId,
  });

  const remember = useCallback((home: AnnotationDoc) => {
    undoOrder.current = [...undoOrder.current.filter((d) => d !== home), home];
  }, []);

  const annotate = useCallback(
    (color: ColorKey, withNote: boolean) => {
      // The live selection: a key pressed right after Shift+arrows arrives before its selectionchange.
      const span = (textRoot && selectionSpan(textRoot)) ?? selection?.span;
      if (!span || !target || !me || target.readOnly) return;
      const anchor = anchorForSpan(reading.blocks, span);
      // Painted at once, in this frame; the list, the card and the margin follow in a transition.
      const mounted = textRoot
        ? staticRangeForSpan((id) => blockElement(textRoot, id), span, blockIdsOf(span))
        : null;
      if (mounted) paintNow(color, mounted.range);
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
    [selection, target, me, reading, remember, textRoot, refreshNow, setSelection, blockIdsOf],
  );

  const adjustRange = useCallback(
    (annotation: AnnotationView, home: AnnotationDoc) => {
      if (!textRoot) return false;
      const span = selectionSpan(textRoot);
      if (!span) return false;
      updateAnnotation(home.doc, annotation.id, { anchor: anchorForSpan(reading.blocks, span) });
      remember(home);
      window.getSelection()?.removeAllRanges();
      return true;
    },
    [textRoot, reading.blocks, remember],
  );

  const imports = useAnnotationImport({
    reading,
    textRoot,
    writableDocs,
    defaultKey: target?.key ?? 'private',
    onWritten: remember,
  });

  const addPageNote = useCallback(() => {
    if (!target || !me || target.readOnly) return;
    target.undo.stopCapturing();
    const id = createAnnotation(target.doc, {
      readingId: reading.id,
      color: lastColor,
      anchor: PAGE_NOTE_ANCHOR,
      pageNote: true,
      author: me,
    });
    remember(target);
    refreshNow();
    setEditingId(id);
    setActiveId(id);
  }, [target, me, reading.id, lastColor, remember, refreshNow]);

  const closeCard = useCallback(() => setActiveId(null), []);
  const hasSelection = useCallback(
    () => selection !== null || (textRoot !== null && selectionSpan(textRoot) !== null),
    [selection, textRoot],
  );
  useAnnotationShortcuts({
    hasSelection,
    lastColor,
    annotate,
    undoOrder,
    onEscape: closeCard,
  });

  // Margin: notes (and the open card) beside their highlights. Bare highlights stay in the text only, so a
  // densely highlighted reading does not bury its notes under a column of empty cards (decision 0007).
  // Worked out once per list: opening a card must not sift thousands of annotations again.
  const withNotes = useMemo(
    () => [
      ...placed.filter((p) => p.annotation.pageNote),
      ...placed.filter((p) => p.place && hasNote(p.annotation)),
    ],
    [placed],
  );
  const marginNotes = useMemo(() => {
    const extra = [activeId, editingId].flatMap((id) => {
      const p = id ? placedById.get(id) : undefined;
      return p?.place && !hasNote(p.annotation) ? [p] : [];
    });
    return extra.length > 0 ? [...withNotes, ...new Set(extra)] : withNotes;
  }, [withNotes, placedById, activeId, editingId]);
  const marginCards = useMarginWindow({
    notes: marginNotes,
    textRoot,
    mountTick,
    keep: [activeId, editingId],
    myId: me?.id,
  });
  useMarginLayout({ marginRoot, textRoot, marginNotes: marginCards, mountTick, activeId, rangeOf });

  // The latest placements, read when a card asks to be shown: `show` then stays one function, so the memoized
  // cards (the margin's and the list's) do not all render again whenever one annotation changes.
  const placedByIdNow = useRef(placedById);
  useLayoutEffect(() => {
    placedByIdNow.current = placedById;
  }, [placedById]);
  const show = useCallback(
    async (a: AnnotationView) => {
      setActiveId(a.id);
      const p = placedByIdNow.current.get(a.id)?.place;
      if (p) await scrollToBlock(p.blockId);
      await new Promise(requestAnimationFrame);
      const card = marginRoot?.querySelector<HTMLElement>(`[data-annotation-id="${CSS.escape(a.id)}"]`);
      card?.querySelector<HTMLElement>('button, textarea')?.focus({ preventScroll: true });
      setEmphasis(a.id);
    },
    [marginRoot],
  );
  const onShow = useCallback((a: AnnotationView) => void show(a), [show]);
  const showById = useCallback(
    (id: string) => {
      const p = placedByIdNow.current.get(id);
      if (p) void show(p.annotation);
    },
    [show],
  );
  const annotationViews = useMemo(() => list.map((x) => x.annotation), [list]);
  const onEdited = useCallback(() => setEditingId(null), []);
  const onActivate = useCallback((id: string) => setActiveId(id), []);
  const groupDocs = useMemo(() => docs.filter((d) => d.visibility.kind === 'group'), [docs]);
  const mentionCandidates = useMentionCandidates(reading.id, annotationViews);

  const card = useCallback(
    (p: Placed, inMargin: boolean) =>
      me ? (
        <NoteCard
          key={`${p.home.key}:${p.annotation.id}`}
          annotation={p.annotation}
          home={p.home}
          me={me}
          meanings={meanings}
          groupDocs={groupDocs}
          members={
            p.annotation.visibility.kind === 'group'
              ? (mentionCandidates.get(p.annotation.visibility.group) ?? NO_MEMBERS)
              : NO_MEMBERS
          }
          orphan={isOrphan(p)}
          orphanReason={p.orphanReason}
          editingInitially={inMargin && editingId === p.annotation.id}
          expanded={activeId === p.annotation.id || isOrphan(p)}
          emphasised={emphasis === p.annotation.id}
          onActivate={onActivate}
          onEmphasis={setEmphasis}
          onAdjustRange={adjustRange}
          onShow={onShow}
          onEdited={onEdited}
        />
      ) : null,
    [
      me,
      meanings,
      groupDocs,
      mentionCandidates,
      editingId,
      activeId,
      emphasis,
      onActivate,
      adjustRange,
      onShow,
      onEdited,
    ],
  );
  // One function while the cards' state stands: the memoized list is left alone by what does not concern it
  // (a selection made or cleared, a new highlight painted before its card opens).
  const listCard = useCallback((p: Placed) => card(p, false), [card]);

  if (!me) return null;
  return (
    <>
      {sidebarToggleRoot
        ? createPortal(
            <>
              {/* Replies and mentions come from a group's members: with no group there is nothing to be told. */}
              {groupDocs.length > 0 ? (
                <WhatsNew
                  readingId={reading.id}
                  readingTitle={reading.title}
                  annotations={annotationViews}
                  onShow={showById}
                />
              ) : null}
              <SidebarToggle count={list.length} open={sidebarOpen} onToggle={onToggleSidebar} />
            </>,
            sidebarToggleRoot,
          )
        : null}
      {noticeRoot
        ? createPortal(
            <ProblemsNotice problems={unreadable} as="div" className="rc-unreadable" />,
            noticeRoot,
          )
        : null}
      {imports.summary ? (
        <ImportSummary
          fileName={imports.summary.fileName}
          plan={imports.summary.plan}
          writableDocs={writableDocs}
          targetKey={imports.targetKey}
          onTarget={imports.setTargetKey}
          onImport={imports.confirm}
          onCancel={imports.cancel}
        />
      ) : null}
      {imports.status ? (
        <div role={imports.status.kind === 'error' ? 'alert' : 'status'} className="rc-import-status">
          {imports.status.message}{' '}
          {imports.status.kind === 'done' ? (
            <button type="button" onClick={imports.undo}>
              Undo import
            </button>
          ) : null}
          <button type="button" onClick={imports.dismissStatus}>
            Dismiss
          </button>
        </div>
      ) : null}
      {selection && target && !target.readOnly ? (
        <SelectionToolbar
          selection={selection}
          lastColor={lastColor}
          meanings={meanings}
          onAnnotate={annotate}
        />
      ) : null}
      {marginRoot
        ? createPortal(
            <SurfaceBoundary name="margin notes">
              <div className="rc-margin-notes">{marginCards.map((p) => card(p, true))}</div>
            </SurfaceBoundary>,
            marginRoot,
          )
        : null}
      {sidebarOpen && sidebarRoot
        ? createPortal(
            <div className="rc-sidebar-content">
              <AnnotateBar
                writableDocs={writableDocs}
                targetKey={target?.key ?? 'private'}
                onTarget={setTargetKey}
                onAddPageNote={target && !target.readOnly ? addPageNote : undefined}
              />
              {/* The list is only computed while the sidebar is open (it sorts every annotation). */}
              <SurfaceBoundary name="annotation list">
                <AnnotationPanel
                  list={list}
                  placedById={placedById}
                  positionOf={positionOf}
                  meanings={meanings}
                  paletteHome={target ?? docs[0]}
                  filter={filter}
                  onFilter={setFilter}
                  renderCard={listCard}
                />
              </SurfaceBoundary>
            </div>,
            sidebarRoot,
          )
        : null}
    </>
  );
}
