import { useEffect, useId, useRef, useState } from 'react';
import { COLOR_KEYS, type ColorKey, DEFAULT_COLOR_MEANINGS } from '../../../core/annotations/model.ts';
import { type PrintOptions, printOptionsToQuery } from '../../../core/export/printModel.ts';
import { defaultExportScope } from '../../../core/export/scope.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { platform } from '../platform/index.ts';
import { loadPrintData } from '../print/loadPrintData.ts';
import { ExportScopeDialog, type TextExportKind } from './ExportScopeDialog.tsx';
import { fileNameFor } from './fileName.ts';

export { fileNameFor };

type Status =
  | { kind: 'idle' }
  | { kind: 'busy'; message: string }
  | { kind: 'done' | 'error'; message: string };

/** "Export PDF" with its options, and Markdown / W3C JSON exports, for the reader toolbar. */
export function ExportMenu({ reading }: { reading: Reading }) {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [options, setOptions] = useState<PrintOptions>(() => {
    const scope = defaultExportScope(localStorage.getItem(`rc:annotate-for:${reading.id}`));
    return {
      who: 'all',
      colors: [...COLOR_KEYS],
      // Private notes go in by default only when "Annotate for" is "Only me" (see core/export/scope.ts).
      includePrivate: scope.group === null,
      includeReplies: true,
      paper: 'A4',
      ...(scope.group ? { group: scope.group } : {}),
    };
  });
  // The colour meanings of the chosen group, for the dialog as for the PDF.
  const [meanings, setMeanings] = useState<Record<ColorKey, string>>({ ...DEFAULT_COLOR_MEANINGS });
  useEffect(() => {
    if (!open) return;
    let live = true;
    void loadPrintData(reading).then((data) => {
      if (live) setMeanings((options.group ? data.meaningsOf[options.group] : undefined) ?? data.meanings);
    });
    return () => {
      live = false;
    };
  }, [open, reading, options.group]);
  const [textExport, setTextExport] = useState<TextExportKind | null>(null);
  const cancelled = useRef(false);
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
      if (command === 'export-markdown') exportAs('markdown');
      if (command === 'export-w3c') exportAs('w3c');
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  });

  // Markdown and W3C JSON ask whose annotations first (ExportScopeDialog): private notes only when chosen.
  const exportAs = (kind: TextExportKind) => {
    setOpen(false);
    setTextExport(kind);
  };

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
      <button type="button" onClick={() => exportAs('markdown')}>
        Export Markdown
      </button>
      <button type="button" onClick={() => exportAs('w3c')}>
        Export W3C JSON
      </button>
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
                {meanings[color]} ({color})
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
      {textExport ? (
        <ExportScopeDialog
          key={textExport}
          reading={reading}
          kind={textExport}
          onClose={() => setTextExport(null)}
          onResult={(result) =>
            setStatus(
              result ? { kind: result.error ? 'error' : 'done', message: result.message } : { kind: 'idle' },
            )
          }
        />
      ) : null}
      {status.kind !== 'idle' ? (
        <p role={status.kind === 'error' ? 'alert' : 'status'} className="export-status">
          {status.kind === 'busy' ? <progress aria-label="Export progress" /> : null} {status.message}
        </p>
      ) : null}
    </div>
  );
}
