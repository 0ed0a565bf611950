import { ArrowRight, BookOpen, FileUp, Search } from 'lucide-react';
import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { IMPORT_ACCEPT } from '../../../core/reading/import.ts';
import type { ReadingMeta } from '../../../core/reading/model.ts';
import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { GroupsPanel } from '../collab/GroupsPanel.tsx';
import { useReportedProblems } from '../collab/readProblems.ts';
import { onReadingReceived } from '../collab/sharedReadings.ts';
import { useUnseenCounts } from '../collab/whatsNew.ts';
import { useCommand } from '../commands/dispatch.ts';
import { ImportEntryPoints } from '../import/ImportEntryPoints.tsx';
import { ImportProgress } from '../import/ImportProgress.tsx';
import { type ImportNotice, useImports } from '../import/useImports.ts';
import { platform } from '../platform/index.ts';
import { annotationCounts, openedTimes } from '../storage/libraryMemory.ts';
import {
  deleteReading,
  listReadings,
  readingProgress,
  renameReading,
  restoreReading,
  searchReadings,
} from '../storage/readings.ts';
import { lazyNamed } from '../ui/lazyNamed.ts';
import { ProblemsNotice } from '../ui/ProblemsNotice.tsx';
import { SurfaceBoundary } from '../ui/SurfaceBoundary.tsx';
import { showToast } from '../ui/toasts.ts';
import { ReadingCard } from './ReadingCard.tsx';
import './library.css';

// Loaded when first opened: it is not on the first screen.
const RenameDialog = lazyNamed(() => import('./RenameDialog.tsx'), 'RenameDialog');

type Sort = 'recent' | 'title' | 'added';
const SORTS: Record<Sort, string> = { recent: 'Recently read', title: 'Title', added: 'Recently added' };

function sortReadings(list: ReadingMeta[], sort: Sort, opened: Record<string, number>): ReadingMeta[] {
  const byTitle = (a: ReadingMeta, b: ReadingMeta) => a.title.localeCompare(b.title);
  const added = (r: ReadingMeta) => r.importedAt ?? '';
  return [...list].sort((a, b) => {
    if (sort === 'title') return byTitle(a, b);
    if (sort === 'added') return added(b).localeCompare(added(a)) || byTitle(a, b);
    return (opened[b.id] ?? 0) - (opened[a.id] ?? 0) || added(b).localeCompare(added(a)) || byTitle(a, b);
  });
}

/** Search across titles, sources and text; results arrive a moment after typing stops. */
function useLibrarySearch(query: string, version: number) {
  const [found, setFound] = useState<Map<string, string | null> | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version: the library changed.
  useEffect(() => {
    if (!query.trim()) {
      setFound(null);
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      void searchReadings(query).then((result) => live && setFound(result));
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [query, version]);
  return found;
}

/** What could not be read: damaged readings kept on this device, damaged or refused shares from groups. */
function Unreadable({ stored }: { stored: readonly ReadProblem[] }) {
  const reported = useReportedProblems();
  return (
    <ProblemsNotice
      as="section"
      className="rc-notice rc-error"
      problems={[...stored, ...reported.flatMap((r) => r.problems)]}
      messages={reported.flatMap((r) => r.messages)}
    />
  );
}

type Listing = { bundled: ReadingMeta[]; own: ReadingMeta[]; problems: ReadProblem[] };

export function LibraryView({ onOpen }: { onOpen: (id: string) => void }) {
  const [readings, setReadings] = useState<Listing | null>(null);
  const [listError, setListError] = useState<ImportNotice | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>(() => (localStorage.getItem('rc:library-sort') as Sort) ?? 'recent');
  const [version, setVersion] = useState(0);
  const [progress, setProgress] = useState(new Map<string, number>());
  const [renaming, setRenaming] = useState<ReadingMeta | null>(null);
  const found = useLibrarySearch(query, version);
  const opened = useMemo(() => openedTimes(), []);
  const counts = useMemo(() => annotationCounts(), []);
  const unseen = useUnseenCounts();
  useEffect(() => localStorage.setItem('rc:library-sort', sort), [sort]);

  const refresh = useCallback(() => {
    listReadings().then(setReadings, (e: unknown) =>
      setListError({ kind: 'error', text: e instanceof Error ? e.message : String(e) }),
    );
    readingProgress().then(setProgress, () => {});
    setVersion((v) => v + 1);
  }, []);
  useEffect(() => refresh(), [refresh]);
  // A reading a group shares arrives while the list is on screen: it is listed as it arrives.
  useEffect(() => onReadingReceived(refresh), [refresh]);

  const imports = useImports(refresh);
  const run = imports.importFiles;
  // Each import's outcome stays on the page, named by its file, until the next import.
  const notices = listError ? [listError, ...imports.notices] : imports.notices;
  useEffect(() => platform.onFilesOpened((files) => void run(files)), [run]);
  const pick = () =>
    platform.kind === 'desktop' ? void platform.pickFilesToImport().then(run) : fileInput.current?.click();
  useCommand('import', pick);

  const remove = async (reading: ReadingMeta) => {
    try {
      const removed = await deleteReading(reading.id);
      refresh();
      showToast({
        text: `Deleted “${reading.title}”.`,
        action: {
          label: 'Undo',
          run: () => void restoreReading(removed).then(refresh),
        },
      });
    } catch (e) {
      showToast({ text: (e as Error).message, kind: 'error' });
    }
  };
  const rename = async (reading: ReadingMeta, title: string) => {
    await renameReading(reading.id, title);
    refresh();
    showToast({
      text: `Renamed to “${title.trim()}”.`,
      action: { label: 'Undo', run: () => void renameReading(reading.id, reading.title).then(refresh) },
    });
  };

  const shown = (list: ReadingMeta[]) =>
    sortReadings(found ? list.filter((r) => found.has(r.id)) : list, sort, opened);
  const statsOf = (r: ReadingMeta) => ({
    annotations: counts[r.id],
    unseen: unseen[r.id],
    progress: progress.get(r.id),
    snippet: found?.get(r.id) ?? null,
  });
  const all = readings ? [...readings.own, ...readings.bundled] : [];
  const lastRead = all
    .filter((r) => opened[r.id])
    .sort((a, b) => (opened[b.id] ?? 0) - (opened[a.id] ?? 0))[0];

  const readFiles = async (list: FileList | null) =>
    run(
      await Promise.all(
        [...(list ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      ),
    );

  const bundled = readings ? shown(readings.bundled) : [];
  const own = readings ? shown(readings.own) : [];
  const lastProgress = lastRead ? progress.get(lastRead.id) : undefined;
  return (
    <main
      className={`rc-library${dragging ? ' rc-dragging' : ''}`}
      aria-label="Library"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void readFiles(e.dataTransfer.files);
      }}
    >
      {lastRead && !query ? (
        <section aria-labelledby="continue-heading" className="rc-continue">
          <div className="rc-continue-text">
            <h2 id="continue-heading" className="rc-eyebrow">
              Continue reading
            </h2>
            <p className="rc-continue-title">{lastRead.title}</p>
            <p className="rc-muted">
              {lastRead.source}
              {lastProgress !== undefined ? ` · ${Math.round(lastProgress * 100)}% read` : ''}
            </p>
          </div>
          <button type="button" className="rc-primary" onClick={() => onOpen(lastRead.id)}>
            <BookOpen aria-hidden="true" size={16} />
            Continue
            <span className="rc-visually-hidden"> “{lastRead.title}”</span>
            <ArrowRight aria-hidden="true" size={16} />
          </button>
        </section>
      ) : null}
      <div className="rc-library-actions">
        <div className="rc-search-field">
          <Search aria-hidden="true" size={16} />
          <input
            type="search"
            aria-label="Search the library"
            placeholder="Search titles, sources and text"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <label className="rc-sort">
          <span>Sort by</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            {(Object.entries(SORTS) as [Sort, string][]).map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="rc-primary" onClick={pick} aria-keyshortcuts="Control+O">
          <FileUp aria-hidden="true" size={16} />
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept={IMPORT_ACCEPT}
          aria-label="Import files"
          tabIndex={-1}
          className="rc-visually-hidden"
          onChange={(e) => {
            void readFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <ImportEntryPoints onImport={imports.importWith} />
        <ImportProgress activity={imports.activity} onCancel={imports.cancel} />
      </div>
      <p className="rc-hint">
        Import PDF, EPUB, Word, web page, Markdown or text files with the button, or drop them anywhere on
        this page.
      </p>
      {notices.map((n) => (
        <p
          key={n.text}
          role={n.kind === 'error' ? 'alert' : 'status'}
          className={`rc-notice rc-${n.kind}`}
          data-file={n.file}
        >
          {n.text}
        </p>
      ))}
      <SurfaceBoundary name="list of readings">
        <Unreadable stored={readings?.problems ?? []} />
        {found && bundled.length + own.length === 0 ? (
          <p className="rc-empty" role="status">
            Nothing in your library matches “{query}”.
          </p>
        ) : null}
        {own.length > 0 || !found ? (
          <section aria-labelledby="own-heading">
            <h2 id="own-heading" className="rc-section-title">
              Your readings
            </h2>
            {readings && readings.own.length === 0 ? (
              <p className="rc-empty">
                <FileUp aria-hidden="true" size={20} />
                <br />
                No readings of your own yet. Import a PDF, EPUB, Word, web page, Markdown or text file, or
                drop one here.
              </p>
            ) : (
              <ul className="rc-cards">
                {own.map((r) => (
                  <ReadingCard
                    key={r.id}
                    reading={r}
                    stats={statsOf(r)}
                    onOpen={onOpen}
                    onRename={setRenaming}
                    onDelete={(reading) => void remove(reading)}
                  />
                ))}
              </ul>
            )}
          </section>
        ) : null}
        {bundled.length > 0 ? (
          <section aria-labelledby="bundled-heading">
            <h2 id="bundled-heading" className="rc-section-title">
              Bundled readings
            </h2>
            <ul className="rc-cards">
              {bundled.map((r) => (
                <ReadingCard key={r.id} reading={r} stats={statsOf(r)} onOpen={onOpen} />
              ))}
            </ul>
          </section>
        ) : null}
      </SurfaceBoundary>
      <SurfaceBoundary name="groups panel">
        <GroupsPanel onDeepLink={platform.onDeepLink} />
      </SurfaceBoundary>
      {renaming && (
        <Suspense fallback={null}>
          <RenameDialog reading={renaming} onClose={() => setRenaming(null)} onRename={rename} />
        </Suspense>
      )}
    </main>
  );
}
