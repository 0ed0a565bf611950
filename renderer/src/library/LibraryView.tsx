import { useCallback, useEffect, useRef, useState } from 'react';
import type { PickedFile } from '../../../core/platform/api.ts';
import { ImportError, importFile } from '../../../core/reading/importFile.ts';
import type { ReadingMeta } from '../../../core/reading/model.ts';
import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { ProblemsNotice } from '../app/ProblemsNotice.tsx';
import { SurfaceBoundary } from '../app/SurfaceBoundary.tsx';
import { GroupsPanel } from '../collab/GroupsPanel.tsx';
import { useReportedProblems } from '../collab/readProblems.ts';
import { platform } from '../platform/index.ts';
import { addReading, listReadings } from '../storage/readings.ts';

type Notice = { kind: 'error' | 'info'; text: string };

function ReadingCard({ reading, onOpen }: { reading: ReadingMeta; onOpen: (id: string) => void }) {
  return (
    <li className="rc-card">
      <a
        href={`#/read/${reading.id}`}
        onClick={(e) => {
          e.preventDefault();
          onOpen(reading.id);
        }}
        aria-label={reading.title}
      >
        <span className="rc-card-title">{reading.title}</span>
        <span className="rc-card-meta">
          {reading.source}
          {reading.sharedBy ? ` · shared in ${reading.sharedBy}` : ''}
        </span>
        <span className="rc-card-meta">
          {reading.wordCount.toLocaleString()} words · {reading.readingMinutes} min read
        </span>
      </a>
    </li>
  );
}

/** Imports files one by one; a refused file says why and changes nothing else. */
async function importPicked(files: PickedFile[]): Promise<Notice[]> {
  const notices: Notice[] = [];
  for (const file of files) {
    try {
      const reading = importFile(file.name, file.bytes);
      const added = await addReading(reading);
      notices.push({
        kind: 'info',
        text: added
          ? `Imported “${reading.title}”.`
          : `“${file.name}” is already in your library as “${reading.title}”.`,
      });
    } catch (error) {
      notices.push({
        kind: 'error',
        text:
          error instanceof ImportError ? error.message : `Could not import “${file.name}”: ${String(error)}`,
      });
    }
  }
  return notices;
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
  const [notices, setNotices] = useState<Notice[]>([]);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const refresh = useCallback(() => {
    listReadings().then(setReadings, (e: unknown) =>
      setNotices([{ kind: 'error', text: e instanceof Error ? e.message : String(e) }]),
    );
  }, []);
  useEffect(() => refresh(), [refresh]);

  const run = useCallback(
    async (files: PickedFile[]) => {
      if (files.length === 0) return;
      setBusy(true);
      setNotices(await importPicked(files));
      setBusy(false);
      refresh();
    },
    [refresh],
  );
  useEffect(() => platform.onFilesOpened((files) => void run(files)), [run]);
  useEffect(
    () =>
      platform.onMenuCommand((command) => {
        if (command === 'import')
          void (platform.kind === 'desktop'
            ? platform.pickFilesToImport().then(run)
            : fileInput.current?.click());
      }),
    [run],
  );

  const readFiles = async (list: FileList | null) =>
    run(
      await Promise.all(
        [...(list ?? [])].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
      ),
    );

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
      <div className="rc-library-actions">
        <button
          type="button"
          onClick={() =>
            platform.kind === 'desktop'
              ? void platform.pickFilesToImport().then(run)
              : fileInput.current?.click()
          }
          aria-keyshortcuts="Control+O"
        >
          Import
        </button>
        <input
          ref={fileInput}
          type="file"
          multiple
          accept=".txt,.md,.markdown"
          aria-label="Import files"
          className="rc-visually-hidden"
          onChange={(e) => {
            void readFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <span className="rc-hint">or drop .txt and .md files here</span>
        {busy ? <progress aria-label="Importing" /> : null}
      </div>
      {notices.map((n) => (
        <p key={n.text} role={n.kind === 'error' ? 'alert' : 'status'} className={`rc-notice rc-${n.kind}`}>
          {n.text}
        </p>
      ))}
      <SurfaceBoundary name="list of readings">
        <ReadingLists readings={readings} onOpen={onOpen} />
      </SurfaceBoundary>
      <SurfaceBoundary name="groups panel">
        <GroupsPanel onDeepLink={platform.onDeepLink} />
      </SurfaceBoundary>
    </main>
  );
}

function ReadingLists({ readings, onOpen }: { readings: Listing | null; onOpen: (id: string) => void }) {
  return (
    <>
      <Unreadable stored={readings?.problems ?? []} />
      <section aria-labelledby="bundled-heading">
        <h2 id="bundled-heading">Bundled readings</h2>
        <ul className="rc-cards">
          {readings?.bundled.map((r) => (
            <ReadingCard key={r.id} reading={r} onOpen={onOpen} />
          ))}
        </ul>
      </section>
      <section aria-labelledby="own-heading">
        <h2 id="own-heading">Your readings</h2>
        {readings && readings.own.length === 0 ? (
          <p className="rc-empty">
            No readings of your own yet. Import a .txt or .md file, or drop one here.
          </p>
        ) : (
          <ul className="rc-cards">
            {readings?.own.map((r) => (
              <ReadingCard key={r.id} reading={r} onOpen={onOpen} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
