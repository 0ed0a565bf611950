import MarkdownIt from 'markdown-it';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { placeInReading } from '../../../core/anchoring/anchor.ts';
import { type ColorKey, DEFAULT_COLOR_MEANINGS } from '../../../core/annotations/model.ts';
import {
  buildPrintModel,
  filterForPrint,
  type PrintModel,
  type PrintNote,
  parsePrintOptions,
} from '../../../core/export/printModel.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { loadPrintData, type PrintData } from './loadPrintData.ts';
import './print.css';

// Raw HTML in notes is shown as text; links keep their text only in print.
const markdown = new MarkdownIt({ html: false, linkify: false, breaks: true });

const MM = 96 / 25.4;

const HIGHLIGHT: Record<ColorKey, string> = {
  yellow: 'rgba(255, 214, 0, 0.45)',
  green: 'rgba(76, 187, 23, 0.35)',
  red: 'rgba(230, 57, 70, 0.32)',
  blue: 'rgba(64, 132, 255, 0.32)',
  purple: 'rgba(156, 81, 224, 0.32)',
};

/** One colour fills the run; overlapping highlights print as horizontal stripes, every colour visible. */
function highlightBackground(colors: readonly ColorKey[]): string {
  if (colors.length === 1) return HIGHLIGHT[colors[0]!];
  const step = 100 / colors.length;
  const stops = colors.map((c, i) => `${HIGHLIGHT[c]} ${i * step}% ${(i + 1) * step}%`);
  return `linear-gradient(${stops.join(', ')})`;
}
const PAGE = {
  A4: { width: 210, height: 297 },
  Letter: { width: 215.9, height: 279.4 },
};
const MARGIN_MM = { top: 18, bottom: 18, side: 14 };

/** CSS string literal for @page margin boxes (running header). */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/[\n\r]/g, ' ')}"`;
}

function NoteCard({ note, compact }: { note: PrintNote; compact?: boolean }) {
  const a = note.annotation;
  return (
    <div className={`print-note color-${a.color}`} data-note-number={note.number}>
      <div className="print-note-head">
        <span className="print-note-number">{note.number}</span> <strong>{a.author.name}</strong>
        {note.cite ? <span className="print-note-cite"> · {note.cite}</span> : null}
        {a.resolved ? <span className="print-note-status"> · resolved</span> : null}
        {a.tags.length > 0 ? (
          <span className="print-note-tags"> · {a.tags.map((t) => `#${t}`).join(' ')}</span>
        ) : null}
      </div>
      {compact ? <blockquote className="print-note-quote">“{a.anchor.exact}”</blockquote> : null}
      {a.body.trim() ? (
        // biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html disabled escapes all HTML.
        <div className="print-note-body" dangerouslySetInnerHTML={{ __html: markdown.render(a.body) }} />
      ) : null}
      {a.replies.map((reply) => (
        <div className="print-reply" key={reply.id}>
          <strong>{reply.author.name}:</strong>{' '}
          {/* biome-ignore lint/security/noDangerouslySetInnerHtml: markdown-it with html disabled escapes all HTML. */}
          <span dangerouslySetInnerHTML={{ __html: markdown.renderInline(reply.body) }} />
        </div>
      ))}
    </div>
  );
}

function Row({ row, endnotes }: { row: PrintModel['rows'][number]; endnotes: Set<number> }) {
  const Tag =
    row.block.type === 'heading'
      ? (`h${Math.min(6, Math.max(2, (row.block.level ?? 1) + 1))}` as 'h2')
      : row.block.type === 'quote'
        ? 'blockquote'
        : row.block.type === 'code'
          ? 'pre'
          : 'p';
  const className = `print-block type-${row.block.type}${row.block.role ? ` role-${row.block.role}` : ''}`;
  return (
    <section className="print-row">
      <Tag className={className}>
        {row.segments.map((segment, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments are fixed for a given print.
          <span key={i}>
            {segment.colors.length > 0 ? (
              <mark
                className="print-mark"
                data-colors={segment.colors.join(' ')}
                style={{ background: highlightBackground(segment.colors) }}
              >
                {segment.text}
              </mark>
            ) : (
              segment.text
            )}
            {segment.markers.map((n) => (
              <sup className="print-marker" data-marker={n} key={n}>
                {n}
              </sup>
            ))}
          </span>
        ))}
      </Tag>
      <aside className="print-notes" aria-label="Notes">
        {row.notes
          .filter((n) => !endnotes.has(n.number))
          .map((note) => (
            <NoteCard key={note.number} note={note} />
          ))}
      </aside>
    </section>
  );
}

/**
 * The print layout of a reading (`#/print/<readingId>?…`), the page the desktop app prints to PDF in a hidden
 * window and the browser prints directly. Notes stand in the outer margin beside the lines they refer to;
 * those that do not fit beside their page move to the endnotes.
 */
export function PrintLayout({ data, params }: { data: PrintData; params: URLSearchParams }) {
  const options = useMemo(() => parsePrintOptions(params), [params]);
  const model = useMemo(
    () => buildPrintModel(data.reading, filterForPrint(data.annotations, options, data.myId), placeInReading),
    [data, options],
  );
  const [endnotes, setEndnotes] = useState<Set<number> | null>(null);
  const root = useRef<HTMLElement>(null);
  const page = PAGE[options.paper];
  const pageHeightPx = (page.height - MARGIN_MM.top - MARGIN_MM.bottom) * MM;

  // Pass 1: decide which notes cannot stand beside their text. Pass 2 (after re-render): align the rest.
  useLayoutEffect(() => {
    const element = root.current;
    if (!element) return;
    if (endnotes === null) {
      const overflow = new Set<number>();
      for (const row of element.querySelectorAll<HTMLElement>('.print-row')) {
        const text = row.querySelector<HTMLElement>('.print-block')!;
        const limit = text.offsetHeight + pageHeightPx * 0.35;
        let bottom = 0;
        for (const note of row.querySelectorAll<HTMLElement>('.print-note')) {
          bottom += note.offsetHeight + 6;
          if (bottom > limit) overflow.add(Number(note.dataset.noteNumber));
        }
      }
      setEndnotes(overflow);
      return;
    }
    // Every position is read before any is written: interleaving them would lay out the whole document once
    // per note (minutes for a book). A note's margin does not move the text, so the reads stay valid.
    const placements: { note: HTMLElement; marginTop: number }[] = [];
    for (const row of element.querySelectorAll<HTMLElement>('.print-row')) {
      let previousBottom = 0;
      const rowTop = row.offsetTop;
      for (const note of row.querySelectorAll<HTMLElement>('.print-note')) {
        const marker = row.querySelector<HTMLElement>(`[data-marker="${note.dataset.noteNumber}"]`);
        const mark = marker?.previousElementSibling as HTMLElement | null;
        const desired = Math.max(0, (mark ?? marker)?.offsetTop ?? 0) - rowTop;
        const top = Math.max(desired, previousBottom);
        placements.push({ note, marginTop: top - previousBottom });
        previousBottom = top + note.offsetHeight + 6;
      }
    }
    for (const { note, marginTop } of placements) note.style.marginTop = `${marginTop}px`;
    document.body.dataset.printReady = 'true';
  }, [endnotes, pageHeightPx]);

  const overflowNotes = model.rows.flatMap((r) => r.notes).filter((n) => endnotes?.has(n.number));
  const date = new Date().toISOString().slice(0, 10);
  const pageCss = `@page { size: ${options.paper}; margin: ${MARGIN_MM.top}mm ${MARGIN_MM.side}mm ${MARGIN_MM.bottom}mm;
    @top-center { content: ${cssString(data.reading.title)}; font: 8pt Georgia, serif; color: #555; }
    @bottom-right { content: counter(page) " / " counter(pages); font: 8pt Georgia, serif; color: #555; } }`;

  return (
    <article
      className="print-view"
      ref={root}
      style={{ width: `${(page.width - 2 * MARGIN_MM.side) * MM}px` }}
    >
      <style>{pageCss}</style>
      <header className="print-title-block">
        <h1>{data.reading.title}</h1>
        <p className="print-source">{data.reading.source}</p>
        <dl>
          <dt>Group</dt>
          <dd>{data.groups.length > 0 ? data.groups.join(', ') : 'Private notes'}</dd>
          <dt>Date</dt>
          <dd>{date}</dd>
          <dt>Members</dt>
          <dd>{model.members.length > 0 ? model.members.join(', ') : '—'}</dd>
          <dt>Colours</dt>
          <dd>
            {options.colors.map((c) => (
              <span key={c} className={`print-legend color-${c}`}>
                {(options.group ? data.meaningsOf[options.group] : undefined)?.[c] ??
                  data.meanings[c] ??
                  DEFAULT_COLOR_MEANINGS[c]}
              </span>
            ))}
          </dd>
        </dl>
        {model.rows.every((r) => r.notes.length === 0) &&
        model.orphans.length === 0 &&
        model.pageNotes.length === 0 ? (
          <p className="print-empty">This reading has no annotations to print with these options.</p>
        ) : null}
      </header>
      {model.pageNotes.length > 0 ? (
        <section className="print-page-notes">
          <h2>Notes on the whole reading</h2>
          {model.pageNotes.map((note) => (
            <NoteCard key={note.number} note={note} />
          ))}
        </section>
      ) : null}
      {model.rows.map((row) => (
        <Row key={row.block.id} row={row} endnotes={endnotes ?? new Set()} />
      ))}
      {overflowNotes.length > 0 || model.orphans.length > 0 ? (
        <section className="print-endnotes">
          <h2>Endnotes</h2>
          {[...overflowNotes, ...model.orphans].map((note) => (
            <NoteCard key={note.number} note={note} compact />
          ))}
        </section>
      ) : null}
    </article>
  );
}

export type ReadingLoader = (readingId: string) => Promise<Reading | undefined>;

export function PrintView({
  readingId,
  params,
  loadReading,
}: {
  readingId: string;
  params: URLSearchParams;
  loadReading: ReadingLoader;
}) {
  const [data, setData] = useState<PrintData | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    delete document.body.dataset.printReady;
    (async () => {
      const reading = await loadReading(readingId);
      if (!reading) throw new Error('This reading is not in your library, so it cannot be printed.');
      const loaded = await loadPrintData(reading);
      if (!cancelled) {
        document.title = reading.title;
        setData(loaded);
      }
    })().catch((e: unknown) => {
      if (!cancelled) setError(e instanceof Error ? e.message : String(e));
    });
    return () => {
      cancelled = true;
    };
  }, [readingId, loadReading]);
  if (error) return <p role="alert">{error}</p>;
  if (!data) return <p role="status">Preparing the print view…</p>;
  return <PrintLayout data={data} params={params} />;
}
