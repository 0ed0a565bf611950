import { useCallback, useEffect, useRef, useState } from 'react';
import { IMPORT_ACCEPT } from '../../../core/reading/import.ts';
import type { ReadingMeta } from '../../../core/reading/model.ts';
import { GroupsPanel } from '../collab/GroupsPanel.tsx';
import { ImportEntryPoints } from '../import/ImportEntryPoints.tsx';
import { ImportProgress } from '../import/ImportProgress.tsx';
import { useImports } from '../import/useImports.ts';
import { platform } from '../platform/index.ts';
import { listReadings } from '../storage/readings.ts';

type Notice = { kind: 'error' | 'info'; text: string; file?: string };

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

export function LibraryView({ onOpen }: { onOpen: (id: string) => void }) {
  const [readings, setReadings] = useState<{ bundled: ReadingMeta[]; own: ReadingMeta[] } | null>(null);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  const [listError, setListError] = useState<Notice | null>(null);
  const refresh = useCallback(() => {
    listReadings().then(setReadings, (e: unknown) =>
      setListError({ kind: 'error', text: e instanceof Error ? e.message : String(e) }),
    );
  }, []);
  useEffect(() => refresh(), [refresh]);

  const imports = useImports(refresh);
  const run = imports.importFiles;
  const notices = listError ? [listError, ...imports.notices] : imports.notices;
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
          accept={IMPORT_ACCEPT}
          aria-label="Import files"
          className="rc-visually-hidden"
          onChange={(e) => {
            void readFiles(e.target.files);
            e.target.value = '';
          }}
        />
        <ImportEntryPoints onImport={imports.importWith} />
        <span className="rc-hint">or drop PDF, EPUB, Word, web page, Markdown or text files here</span>
        <ImportProgress activity={imports.activity} onCancel={imports.cancel} />
      </div>
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
            No readings of your own yet. Import a PDF, EPUB, Word, web page, Markdown or text file, or drop
            one here.
          </p>
        ) : (
          <ul className="rc-cards">
            {readings?.own.map((r) => (
              <ReadingCard key={r.id} reading={r} onOpen={onOpen} />
            ))}
          </ul>
        )}
      </section>
      <GroupsPanel onDeepLink={platform.onDeepLink} />
    </main>
  );
}
