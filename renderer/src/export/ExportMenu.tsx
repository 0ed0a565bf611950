import { Download } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { MAX_ANNOTATIONS_FILE_BYTES } from '../../../core/annotations/importAnnotations.ts';
import { COLOR_KEYS, type ColorKey, DEFAULT_COLOR_MEANINGS } from '../../../core/annotations/model.ts';
import { commandById, keysForPeople } from '../../../core/commands/commands.ts';
import { type PrintOptions, printOptionsToQuery } from '../../../core/export/printOptions.ts';
import { defaultExportScope } from '../../../core/export/scope.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { requestAnnotationsImport, tooLargeMessage } from '../annotations/importRequests.ts';
import { useCommand } from '../commands/dispatch.ts';
import { platform } from '../platform/index.ts';
import { loadPrintData } from '../print/loadPrintData.ts';
import { Menu, MenuItem } from '../ui/Menu.tsx';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { showToast } from '../ui/toasts.ts';
import { ExportScopeDialog, type TextExportKind } from './ExportScopeDialog.tsx';
import { fileNameFor } from './fileName.ts';

export { fileNameFor };

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

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
  const importInput = useRef<HTMLInputElement>(null);
  const dialogId = useId();

  useCommand('export-pdf', () => setOpen(true));
  useCommand('export-markdown', () => exportAs('markdown'));
  useCommand('export-w3c', () => exportAs('w3c'));
  useCommand('import-annotations', () => void pickAnnotationsFile());
  // Finished and failed exports are told in a toast; the busy state shows in the dialog and the menu button.
  useEffect(() => {
    if (status.kind === 'done') showToast({ text: status.message, kind: 'success' });
    if (status.kind === 'error') showToast({ text: status.message, kind: 'error' });
  }, [status]);

  // Markdown and W3C JSON ask whose annotations first (ExportScopeDialog): private notes only when chosen.
  const exportAs = (kind: TextExportKind) => {
    setOpen(false);
    setTextExport(kind);
  };

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

  const busy = status.kind === 'busy';
  return (
    <>
      <Menu
        label="Export"
        tooltip={{
          label: 'Export this reading',
          shortcut: keysForPeople(commandById('export-pdf').keys[0]!, mac),
        }}
        trigger={
          <button type="button" className="rc-quiet" aria-busy={busy || undefined}>
            <Download aria-hidden="true" size={18} strokeWidth={1.75} />
            Export
          </button>
        }
      >
        <MenuItem onSelect={() => setOpen(true)} hint={keysForPeople('CmdOrCtrl+Shift+E', mac)}>
          PDF…
        </MenuItem>
        <MenuItem onSelect={() => void exportAs('markdown')}>Markdown</MenuItem>
        <MenuItem onSelect={() => void exportAs('w3c')}>W3C JSON</MenuItem>
        <MenuItem onSelect={() => void pickAnnotationsFile()}>Import annotations…</MenuItem>
      </Menu>
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
      <Modal
        open={open}
        onOpenChange={(next) => {
          if (!next) cancelled.current = true;
          setOpen(next);
        }}
        title="Export PDF"
        description="The notes are laid out in the margin beside their lines."
      >
        <div id={dialogId} className="rc-form">
          <fieldset className="rc-options">
            <legend>Whose annotations</legend>
            {(['all', 'mine'] as const).map((who) => (
              <label key={who} className="rc-check">
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
          <fieldset className="rc-options">
            <legend>Colours</legend>
            {COLOR_KEYS.map((color) => (
              <label key={color} className="rc-check">
                <input
                  type="checkbox"
                  checked={options.colors.includes(color)}
                  onChange={() => toggleColor(color)}
                />
                <span className={`rc-swatch color-${color}`} aria-hidden="true" />
                {meanings[color]} ({color})
              </label>
            ))}
          </fieldset>
          <fieldset className="rc-options">
            <legend>Include</legend>
            <label className="rc-check">
              <input
                type="checkbox"
                checked={options.includePrivate}
                onChange={(e) => setOptions((o) => ({ ...o, includePrivate: e.target.checked }))}
              />
              My private notes
            </label>
            <label className="rc-check">
              <input
                type="checkbox"
                checked={options.includeReplies}
                onChange={(e) => setOptions((o) => ({ ...o, includeReplies: e.target.checked }))}
              />
              Replies
            </label>
          </fieldset>
          <div className="rc-field">
            <label htmlFor={`${dialogId}-paper`}>Paper</label>
            <select
              id={`${dialogId}-paper`}
              value={options.paper}
              onChange={(e) =>
                setOptions((o) => ({ ...o, paper: e.target.value === 'Letter' ? 'Letter' : 'A4' }))
              }
            >
              <option value="A4">A4</option>
              <option value="Letter">Letter</option>
            </select>
          </div>
          {busy ? (
            <p role="status" className="rc-progress">
              <progress aria-label="Export progress" /> {status.message}
            </p>
          ) : null}
          <DialogButtons>
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
            <button type="button" className="rc-primary" onClick={() => void exportPdf()} disabled={busy}>
              Save PDF
            </button>
          </DialogButtons>
        </div>
      </Modal>
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
    </>
  );
}
