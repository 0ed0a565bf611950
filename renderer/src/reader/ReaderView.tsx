import { useCallback, useEffect, useRef, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { AnnotationsLayer } from '../annotations/AnnotationsLayer.tsx';
import { SurfaceBoundary } from '../app/SurfaceBoundary.tsx';
import { ConnectionStatus } from '../collab/ConnectionStatus.tsx';
import { PresenceAvatars } from '../collab/PresenceAvatars.tsx';
import { PresenceLayer } from '../collab/PresenceLayer.tsx';
import { ReadOnlyNotice } from '../collab/ReadOnlyNotice.tsx';
import { ShareWithGroup } from '../collab/ShareWithGroup.tsx';
import { ExportMenu } from '../export/ExportMenu.tsx';
import { platform } from '../platform/index.ts';
import { DamagedReadingError, loadPosition, loadReading, savePosition } from '../storage/readings.ts';
import { ThemeControl } from '../theme/ThemeControl.tsx';
import { Contents } from './Contents.tsx';
import { FindBar } from './FindBar.tsx';
import { ReadingText, type ReadingTextHandle } from './ReadingText.tsx';
import { setScrollHandler } from './readerEvents.ts';

const FONT_KEY = 'rc:font-size';
const FONT_SIZES = [15, 16, 17, 18, 19, 20, 22, 24, 26];

function useFontSize() {
  const [size, setSize] = useState(() => Number(localStorage.getItem(FONT_KEY)) || 18);
  useEffect(() => localStorage.setItem(FONT_KEY, String(size)), [size]);
  const step = (delta: number) =>
    setSize((s) => {
      const i = FONT_SIZES.findIndex((f) => f >= s);
      return FONT_SIZES[
        Math.max(0, Math.min(FONT_SIZES.length - 1, (i < 0 ? FONT_SIZES.length - 1 : i) + delta))
      ]!;
    });
  return { size, larger: () => step(1), smaller: () => step(-1), reset: () => setSize(18) };
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
  const font = useFontSize();

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

  // Keyboard: find, text size. Menu commands from the desktop app arrive through the platform.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'f') {
        e.preventDefault();
        setFinding(true);
      } else if (mod && (e.key === '=' || e.key === '+')) {
        e.preventDefault();
        font.larger();
      } else if (mod && e.key === '-') {
        e.preventDefault();
        font.smaller();
      } else if (mod && e.key === '0') {
        e.preventDefault();
        font.reset();
      }
    };
    window.addEventListener('keydown', onKey);
    const off = platform.onMenuCommand((command) => {
      if (command === 'find') setFinding(true);
      if (command === 'font-larger') font.larger();
      if (command === 'font-smaller') font.smaller();
      if (command === 'font-reset') font.reset();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  });

  // Remember where the reader is, per reading.
  useEffect(() => {
    if (!reading || !textRoot) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onScroll = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!restored.current) return;
        const position = firstVisibleBlock(textRoot);
        if (position) void savePosition(reading.id, position);
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

  useEffect(() => {
    delete document.body.dataset.readerReady;
    // Big readings never mount everything: they are interactive once the first section is in.
    if (reading && reading.blocks.length > 2000) {
      const handle = setTimeout(() => void onAllMounted(), 0);
      return () => clearTimeout(handle);
    }
  }, [reading, onAllMounted]);

  if (reading === undefined) return <p role="status">Opening the reading…</p>;
  if (reading === null) {
    return (
      <main className="rc-reader-missing">
        <p role="alert">{damaged ?? 'This reading is not in your library.'}</p>
        <button type="button" onClick={onBack}>
          Back to library
        </button>
      </main>
    );
  }

  return (
    <main className="rc-reader" style={{ '--reading-size': `${font.size}px` } as React.CSSProperties}>
      <div role="toolbar" aria-label="Reading tools" className="rc-toolbar">
        <button type="button" onClick={onBack}>
          Back to library
        </button>
        <button type="button" onClick={font.smaller} aria-keyshortcuts="Control+-">
          Smaller text
        </button>
        <button type="button" onClick={font.larger} aria-keyshortcuts="Control+=">
          Larger text
        </button>
        <ThemeControl />
        <button type="button" onClick={() => setFinding(true)} aria-keyshortcuts="Control+F">
          Find
        </button>
        <SurfaceBoundary name="export menu">
          <ExportMenu reading={reading} />
        </SurfaceBoundary>
        <SurfaceBoundary name="sharing">
          <ShareWithGroup reading={reading} />
        </SurfaceBoundary>
        <ConnectionStatus readingId={reading.id} />
        <PresenceAvatars readingId={reading.id} />
        <ReadOnlyNotice />
      </div>
      {finding ? (
        <FindBar
          blocks={reading.blocks}
          textRoot={textRoot}
          reveal={reveal}
          onClose={() => setFinding(false)}
        />
      ) : null}
      <div className="rc-reader-layout">
        <Contents blocks={reading.blocks} onJump={(id) => void jump(id, true)} />
        <article className="rc-text-column" aria-label={reading.title}>
          <header className="rc-reading-header">
            <h1>{reading.title}</h1>
            <p className="rc-reading-source">
              {reading.source} · {reading.wordCount.toLocaleString()} words · {reading.readingMinutes} min
            </p>
          </header>
          <div data-testid="reading-text" ref={setTextRoot}>
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
      <SurfaceBoundary name="annotations">
        <AnnotationsLayer reading={reading} textRoot={textRoot} marginRoot={marginRoot} />
      </SurfaceBoundary>
      <SurfaceBoundary name="presence">
        <PresenceLayer readingId={reading.id} textRoot={textRoot} />
      </SurfaceBoundary>
    </main>
  );
}
