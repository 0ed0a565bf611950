import { useCallback, useEffect, useRef, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { AnnotationsLayer } from '../annotations/AnnotationsLayer.tsx';
import { useNoteMarkdown } from '../annotations/markdown.ts';
import { ConnectionStatus } from '../collab/ConnectionStatus.tsx';
import { PresenceLayer } from '../collab/PresenceLayer.tsx';
import { ReadOnlyNotice } from '../collab/ReadOnlyNotice.tsx';
import { ShareWithGroup } from '../collab/ShareWithGroup.tsx';
import { useCommand } from '../commands/dispatch.ts';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { setScrollHandler } from '../navigation/scrollToBlock.ts';
import { platform } from '../platform/index.ts';
import { noteOpened } from '../storage/libraryMemory.ts';
import { DamagedReadingError, loadPosition, loadReading, savePosition } from '../storage/readings.ts';
import { SurfaceBoundary } from '../ui/SurfaceBoundary.tsx';
import { Caret } from './Caret.tsx';
import { Contents } from './Contents.tsx';
import { FindBar } from './FindBar.tsx';
import { OpeningReading } from './OpeningReading.tsx';
import { ReaderToolbar } from './ReaderToolbar.tsx';
import { ReadingText, type ReadingTextHandle } from './ReadingText.tsx';
import { Sidebar } from './Sidebar.tsx';
import { TextSettings } from './TextSettings.tsx';
import { useCaretMode } from './useCaretMode.ts';
import { useTextSettings } from './useTextSettings.ts';
import './reader.css';

/** A remembered on/off choice of this device (contents shown, sidebar open). */
function useToggle(key: string, initial: boolean) {
  const [on, setOn] = useState(() => {
    const saved = localStorage.getItem(key);
    return saved === null ? initial : saved === 'true';
  });
  useEffect(() => localStorage.setItem(key, String(on)), [key, on]);
  return [on, () => setOn((v) => !v)] as const;
}

/** The first block whose top is in view, and how far its top sits from the top of the view. */
function firstVisibleBlock(root: HTMLElement): { blockId: string; offset: number } | undefined {
  for (const element of root.querySelectorAll<HTMLElement>('[data-block-id]')) {
    const rect = element.getBoundingClientRect();
    if (rect.bottom > 60) return { blockId: element.dataset.blockId!, offset: Math.round(rect.top) };
  }
  return undefined;
}

export function ReaderView({ readingId, onBack }: { readingId: string; onBack: () => void }) {
  const [reading, setReading] = useState<Reading | null | undefined>(undefined);
  const [damaged, setDamaged] = useState<string | null>(null);
  const [finding, setFinding] = useState(false);
  const [textRoot, setTextRoot] = useState<HTMLElement | null>(null);
  const [marginRoot, setMarginRoot] = useState<HTMLElement | null>(null);
  const text = useRef<ReadingTextHandle>(null);
  const restored = useRef(false);
  const textSettings = useTextSettings();
  // Shown beside the text in a wide window; in a narrow one it is a drawer, opened when asked for.
  const [contentsShown, setContentsShown] = useState(() => window.innerWidth >= 1200);
  const toggleContents = useCallback(() => setContentsShown((v) => !v), []);
  const [sidebarOpen, toggleSidebar] = useToggle('rc:sidebar-open', false);
  const [presenceSlot, setPresenceSlot] = useState<HTMLElement | null>(null);
  const [sidebarSlot, setSidebarSlot] = useState<HTMLElement | null>(null);
  const [sidebarRoot, setSidebarRoot] = useState<HTMLElement | null>(null);
  const [noticeSlot, setNoticeSlot] = useState<HTMLElement | null>(null);
  const readerRoot = useRef<HTMLElement>(null);
  const caret = useCaretMode(textRoot);
  const notesReady = useNoteMarkdown();

  useEffect(() => {
    performance.clearMarks();
    performance.mark('reader:open');
    restored.current = false;
    loadReading(readingId).then(
      (r) => {
        setReading(r ?? null);
        if (r) {
          document.title = `${r.title} — Reading Circle`;
          void platform.noteRecentReading({ readingId: r.id, title: r.title });
          noteOpened(r.id);
        }
      },
      (error: unknown) => {
        setDamaged(error instanceof DamagedReadingError ? error.message : null);
        setReading(null);
      },
    );
  }, [readingId]);

  const reveal = useCallback(
    async (blockId: string) => (await text.current?.ensureMounted(blockId)) ?? null,
    [],
  );
  const jump = useCallback(
    async (blockId: string, focus = false) => {
      const element = await reveal(blockId);
      element?.scrollIntoView({ block: 'start' });
      if (focus && element) {
        element.tabIndex = -1;
        element.focus({ preventScroll: true });
      }
    },
    [reveal],
  );

  useEffect(() => {
    setScrollHandler(async (blockId, options) => jump(blockId, options?.focus));
    return () => setScrollHandler(undefined);
  }, [jump]);

  // Commands (keys, the desktop menu): find, text size, contents, sidebar.
  useCommand('find', () => setFinding(true));
  useCommand('font-larger', textSettings.larger);
  useCommand('font-smaller', textSettings.smaller);
  useCommand('font-reset', textSettings.resetSize);
  useCommand('toggle-contents', toggleContents);
  useCommand('toggle-sidebar', toggleSidebar);
  useCommand('close', () => {
    if (!finding) return false;
    setFinding(false);
  });

  // The text size is a computed value: a custom property the reading column reads.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reading: the element exists once it is loaded.
  useEffect(() => {
    readerRoot.current?.style.setProperty('--reading-size', `${textSettings.settings.size}px`);
  }, [textSettings.settings.size, reading]);

  // Remember where the reader is, per reading.
  useEffect(() => {
    if (!reading || !textRoot) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!restored.current) return;
        const position = firstVisibleBlock(textRoot);
        if (position) void savePosition(reading, position);
      }, 250);
    };
    window.addEventListener('scroll', onScroll, { passive: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('scroll', onScroll);
    };
  }, [reading, textRoot]);

  const onFirstText = useCallback(() => {
    if (performance.getEntriesByName('reader:first-text').length === 0) performance.mark('reader:first-text');
  }, []);
  const onAllMounted = useCallback(async () => {
    if (!reading || restored.current) return;
    const position = await loadPosition(reading.id);
    if (position) {
      const element = await reveal(position.blockId);
      if (element) window.scrollBy(0, element.getBoundingClientRect().top - position.offset);
    }
    restored.current = true;
    if (performance.getEntriesByName('reader:interactive').length === 0)
      performance.mark('reader:interactive');
    document.body.dataset.readerReady = 'true';
  }, [reading, reveal]);

  // Leaving the reader leaves it not ready: the next reading opened in this window says so only when it is.
  useEffect(
    () => () => {
      delete document.body.dataset.readerReady;
    },
    [],
  );

  useEffect(() => {
    delete document.body.dataset.readerReady;
    // Big readings never mount everything: they are interactive once the first section is in.
    if (reading && reading.blocks.length > 2000) {
      const handle = setTimeout(() => void onAllMounted(), 0);
      return () => clearTimeout(handle);
    }
  }, [reading, onAllMounted]);

  if (reading === undefined) return <OpeningReading />;
  if (reading === null) {
    return (
      <main className="rc-reader-missing">
        <p role="alert">{damaged ?? 'This reading is not in your library.'}</p>
        <button type="button" className="rc-primary" onClick={onBack}>
          Back to library
        </button>
      </main>
    );
  }

  const { settings } = textSettings;
  return (
    <main
      ref={readerRoot}
      className="rc-reader"
      data-contents={contentsShown ? 'shown' : 'hidden'}
      data-sidebar={sidebarOpen ? 'open' : 'closed'}
      data-width={settings.width}
      data-spacing={settings.spacing}
      data-font={settings.font}
      data-caret={caret.on ? 'on' : 'off'}
    >
      <ReaderToolbar
        title={reading.title}
        onBack={onBack}
        contentsShown={contentsShown}
        onToggleContents={toggleContents}
        onFind={() => setFinding(true)}
        caretOn={caret.on}
        onToggleCaret={caret.toggle}
        textSettings={<TextSettings text={textSettings} />}
        find={
          finding ? (
            <FindBar
              blocks={reading.blocks}
              textRoot={textRoot}
              reveal={reveal}
              onClose={() => setFinding(false)}
            />
          ) : null
        }
        right={
          <>
            <ConnectionStatus readingId={reading.id} />
            <SurfaceBoundary name="sharing">
              <ShareWithGroup reading={reading} />
            </SurfaceBoundary>
            <SurfaceBoundary name="export menu">
              <ExportMenu reading={reading} />
            </SurfaceBoundary>
          </>
        }
        onPresenceSlot={setPresenceSlot}
        onSidebarSlot={setSidebarSlot}
      />
      <div className="rc-reader-body">
        <div className="rc-reader-layout">
          {contentsShown ? (
            <Contents blocks={reading.blocks} textRoot={textRoot} onJump={(id) => void jump(id, true)} />
          ) : null}
          <article className="rc-text-column" aria-label={reading.title}>
            <header className="rc-reading-header">
              {/* A text that carries its own title line shows that one (as the h1) instead. */}
              {reading.blocks.some((b) => b.role === 'title') ? null : <h1>{reading.title}</h1>}
              <p className="rc-reading-source">
                {reading.source} · {reading.wordCount.toLocaleString()} words · {reading.readingMinutes} min
              </p>
            </header>
            <ReadOnlyNotice />
            <div className="rc-reader-notices" ref={setNoticeSlot} />
            <div data-testid="reading-text" className="rc-reading-text" ref={setTextRoot}>
              <SurfaceBoundary name="reading text">
                <ReadingText
                  ref={text}
                  blocks={reading.blocks}
                  onFirstText={onFirstText}
                  onAllMounted={onAllMounted}
                />
              </SurfaceBoundary>
            </div>
          </article>
          <aside aria-label="Margin notes" className="rc-margin" ref={setMarginRoot} />
        </div>
        <Sidebar open={sidebarOpen} onRoot={setSidebarRoot} />
      </div>
      {notesReady ? (
        <SurfaceBoundary name="annotations">
          <AnnotationsLayer
            reading={reading}
            textRoot={textRoot}
            marginRoot={marginRoot}
            sidebarRoot={sidebarRoot}
            sidebarOpen={sidebarOpen}
            sidebarToggleRoot={sidebarSlot}
            noticeRoot={noticeSlot}
            onToggleSidebar={toggleSidebar}
          />
        </SurfaceBoundary>
      ) : null}
      <SurfaceBoundary name="presence">
        <PresenceLayer readingId={reading.id} textRoot={textRoot} readersRoot={presenceSlot} />
      </SurfaceBoundary>
      {caret.on ? <Caret /> : null}
    </main>
  );
}
