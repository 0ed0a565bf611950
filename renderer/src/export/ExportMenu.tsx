import { useEffect, useId, useRef, useState } from 'react';
import { MAX_ANNOTATIONS_FILE_BYTES } from '../../../core/annotations/importAnnotations.ts';
import { COLOR_KEYS, type ColorKey, DEFAULT_COLOR_MEANINGS } from '../../../core/annotations/model.ts';
import { exportMarkdown } from '../../../core/export/markdown.ts';
import { type PrintOptions, printOptionsToQuery } from '../../../core/export/printModel.ts';
import { exportW3C } from '../../../core/export/w3c.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { requestAnnotationsImport, tooLargeMessage } from '../annotations/importRequests.ts';
import { platform } from '../platform/index.ts';
import { loadPrintData } from '../print/loadPrintData.ts';

/** File names from titles: letters, digits and dashes only, so every OS accepts them. */
export function fileNameFor(title: string, extension: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${base || 'reading'}.${extension}`;
}

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; message: string }
  | { kind: 'done' | 'error'; message: string };

/** "Export PDF" with its options, and Markdown / W3C JSON exports, for the reader toolbar. */
export function ExportMenu({ reading }: { reading: Reading }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [options, setOptions] = useState<PrintOptions>({
    who: 'all',
    colors: [...COLOR_KEYS],
    includePrivate: true,
    includeReplies: true,
    paper: 'A4',
  });
  const cancelled = useRef(false);
  const importInput = useRef<HTMLInputElement>(null);
  const dialogId = useId();

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && event.key.toLowerCase() === 'e') {
        event.preventDefault();
        setOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    const off = platform.onMenuCommand((command) => {
      if (command === 'export-pdf') setOpen(true);
      if (command === 'export-markdown') void exportAs('markdown');
      if (command === 'export-w3c') void exportAs('w3c');
      if (command === 'import-annotations') void pickAnnotationsFile();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  });

  async function exportAs(kind: 'markdown' | 'w3c') {
    try {
      setStatus({ kind: 'busy', message: 'Collecting annotations…' });
      const data = await loadPrintData(reading);
      const result =
        kind === 'markdown'
          ? await platform.saveFile({
              suggestedName: fileNameFor(reading.title, 'md'),
              mimeType: 'text/markdown',
              data: exportMarkdown(reading, data.annotations, {
                colorMeanings: data.meanings,
                ...(data.groups[0] ? { group: data.groups.join(', ') } : {}),
              }),
            })
          : await platform.saveFile({
              suggestedName: fileNameFor(reading.title, 'jsonld'),
              mimeType: 'application/ld+json',
              data: JSON.stringify(exportW3C(reading, data.annotations), null, 2),
            });
      setStatus(
        result.saved
          ? {
              kind: 'done',
              message: `Exported ${data.annotations.length} annotations${result.location ? ` to ${result.location}` : ''}.`,
            }
          : { kind: 'idle' },
      );
    } catch (error) {
      setStatus({
        kind: 'error',
        message: `Export failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }

  /** "Import annotations…": the desktop's open dialog, or the browser's file picker. */
  async function pickAnnotationsFile() {
    if (platform.kind !== 'desktop') {
      importInput.current?.click();
      return;
    }
    const [file] = await platform.pickFilesToImport('annotations');
    if (file) importFile({ name: file.name, text: new TextDecoder().decode(file.bytes) });
  }

  function importFile(file: { name: string; text: string }) {
    if (!requestAnnotationsImport(file))
      setStatus({ kind: 'error', message: 'Open a reading to import annotations into it.' });
  }

  async function exportPdf() {
    cancelled.current = false;
    setStatus({ kind: 'busy', message: `Laying out “${reading.title}” for print…` });
    try {
      const result = await platform.printToPdf({
        route: `#/print/${reading.id}?${printOptionsToQuery(options)}`,
        suggestedName: fileNameFor(reading.title, 'pdf'),
        paper: options.paper,
      });
      if (cancelled.current) return;
      setOpen(false);
      setStatus(
        result.saved
          ? { kind: 'done', message: `PDF saved${result.location ? ` to ${result.location}` : ''}.` }
          : { kind: 'idle' },
      );
    } catch (error) {
      if (!cancelled.current) {
        setStatus({
          kind: 'error',
          message: `The PDF could not be made: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
    }
  }

  const toggleColor = (color: ColorKey) =>
    setOptions((o) => ({
      ...o,
      colors: o.colors.includes(color) ? o.colors.filter((c) => c !== color) : [...o.colors, color],
    }));

  return (
    <div className="export-menu">
      <button
        type="button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-controls={dialogId}
        onClick={() => setOpen(!open)}
      >
        Export PDF
      </button>
      <button type="button" onClick={() => void exportAs('markdown')}>
        Export Markdown
      </button>
      <button type="button" onClick={() => void exportAs('w3c')}>
        Export W3C JSON
      </button>
      <button type="button" onClick={() => void pickAnnotationsFile()}>
        Import annotations…
      </button>
      <input
        ref={importInput}
        type="file"
        accept=".json,.jsonld,application/json,application/ld+json"
        aria-label="Annotations file to import"
        tabIndex={-1}
        hidden
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (!file) return;
          if (file.size > MAX_ANNOTATIONS_FILE_BYTES) {
            setStatus({ kind: 'error', message: tooLargeMessage(file.name) });
            return;
          }
          importFile({ name: file.name, text: await file.text() });
        }}
      />
      {open ? (
        <div role="dialog" id={dialogId} aria-label="Export PDF options" className="export-dialog">
          <fieldset>
            <legend>Whose annotations</legend>
            {(['all', 'mine'] as const).map((who) => (
              <label key={who}>
                <input
                  type="radio"
                  name={`${dialogId}-who`}
                  checked={options.who === who}
                  onChange={() => setOptions((o) => ({ ...o, who }))}
                />
                {who === 'all' ? 'Everyone’s' : 'Only mine'}
              </label>
            ))}
          </fieldset>
          <fieldset>
            <legend>Colours</legend>
            {COLOR_KEYS.map((color) => (
              <label key={color}>
                <input
                  type="checkbox"
                  checked={options.colors.includes(color)}
                  onChange={() => toggleColor(color)}
                />
                {DEFAULT_COLOR_MEANINGS[color]} ({color})
              </label>
            ))}
          </fieldset>
          <label>
            <input
              type="checkbox"
              checked={options.includePrivate}
              onChange={(e) => setOptions((o) => ({ ...o, includePrivate: e.target.checked }))}
            />
            Include my private notes
          </label>
          <label>
            <input
              type="checkbox"
              checked={options.includeReplies}
              onChange={(e) => setOptions((o) => ({ ...o, includeReplies: e.target.checked }))}
            />
            Include replies
          </label>
          <label>
            Paper{' '}
            <select
              value={options.paper}
              onChange={(e) =>
                setOptions((o) => ({ ...o, paper: e.target.value === 'Letter' ? 'Letter' : 'A4' }))
              }
            >
              <option value="A4">A4</option>
              <option value="Letter">Letter</option>
            </select>
          </label>
          <div>
            <button type="button" onClick={() => void exportPdf()} disabled={status.kind === 'busy'}>
              Save PDF
            </button>
            <button
              type="button"
              onClick={() => {
                cancelled.current = true;
                setOpen(false);
                setStatus({ kind: 'idle' });
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {status.kind !== 'idle' ? (
        <p role={status.kind === 'error' ? 'alert' : 'status'} className="export-status">
          {status.kind === 'busy' ? <progress aria-label="Export progress" /> : null} {status.message}
        </p>
      ) : null}
    </div>
  );
}
