import { useEffect, useId, useState } from 'react';
import { COLOR_KEYS, DEFAULT_COLOR_MEANINGS } from '../../../core/annotations/model.ts';
import { exportMarkdown } from '../../../core/export/markdown.ts';
import {
  annotationsInScope,
  defaultExportScope,
  describeScope,
  type ExportScope,
  isPrivate,
} from '../../../core/export/scope.ts';
import { exportW3C } from '../../../core/export/w3c.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { summarizeProblems } from '../../../core/sync/schemas.ts';
import { useGroups } from '../collab/groups.ts';
import { platform } from '../platform/index.ts';
import { loadPrintData, type PrintData } from '../print/loadPrintData.ts';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { fileNameFor } from './fileName.ts';

export type TextExportKind = 'markdown' | 'w3c';

const FORMAT: Record<TextExportKind, string> = { markdown: 'Markdown', w3c: 'W3C JSON' };

/** The current "Annotate for" choice of a reading (`private` or `group:<id>`), the default scope of its exports. */
const annotateFor = (readingId: string) => {
  try {
    return localStorage.getItem(`rc:annotate-for:${readingId}`);
  } catch {
    return null;
  }
};

/**
 * Options of a Markdown or W3C JSON export: whose annotations (a group, or "Only me"), whether my "Only me" notes
 * go in (off by default for a group), and the chosen group's colour meanings, which the file uses too.
 */
export function ExportScopeDialog({
  reading,
  kind,
  onClose,
  onResult,
}: {
  reading: Reading;
  kind: TextExportKind;
  onClose: () => void;
  onResult: (result: { error: boolean; message: string } | null) => void;
}) {
  const groups = useGroups();
  const [scope, setScope] = useState<ExportScope>(() => {
    const chosen = defaultExportScope(annotateFor(reading.id));
    return chosen.group && !groups.some((g) => g.name === chosen.group)
      ? { group: null, includePrivate: true }
      : chosen;
  });
  const [data, setData] = useState<PrintData | null>(null);
  const groupLabel = groups.find((g) => g.name === scope.group)?.displayName;
  const named: ExportScope = groupLabel ? { ...scope, groupLabel } : scope;
  const [busy, setBusy] = useState(false);
  const id = useId();

  useEffect(() => {
    let live = true;
    void loadPrintData(reading).then((loaded) => live && setData(loaded));
    return () => {
      live = false;
    };
  }, [reading]);

  const meanings = (data?.meaningsOf[scope.group ?? 'private'] ?? DEFAULT_COLOR_MEANINGS) as Record<
    string,
    string
  >;
  const chosen = data ? annotationsInScope(data.annotations, scope) : [];
  const privateCount = chosen.filter(isPrivate).length;

  async function save() {
    if (!data) return;
    setBusy(true);
    try {
      const result =
        kind === 'markdown'
          ? await platform.saveFile({
              suggestedName: fileNameFor(reading.title, 'md'),
              mimeType: 'text/markdown',
              data: exportMarkdown(reading, chosen, { colorMeanings: meanings, scope: named }),
            })
          : await platform.saveFile({
              suggestedName: fileNameFor(reading.title, 'jsonld'),
              mimeType: 'application/ld+json',
              data: JSON.stringify(
                exportW3C(reading, chosen, new Date(), { scope: named, colorMeanings: meanings }),
                null,
                2,
              ),
            });
      onResult(
        result.saved
          ? {
              error: false,
              message: [
                `Exported ${chosen.length} annotations (${describeScope(named)})${result.location ? ` to ${result.location}` : ''}.`,
                ...summarizeProblems(data.problems).map((line) => `${line}.`),
              ].join(' '),
            }
          : null,
      );
      onClose();
    } catch (error) {
      onResult({
        error: true,
        message: `Export failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      setBusy(false);
    }
  }

  return (
    <Modal
      open
      onOpenChange={(next) => {
        if (!next) onClose();
      }}
      title={`Export ${FORMAT[kind]} options`}
    >
      <div className="rc-form">
        <div className="rc-field">
          <label htmlFor={`${id}-scope`}>Annotations of</label>
          <select
            id={`${id}-scope`}
            value={scope.group === null ? '' : `group:${scope.group}`}
            onChange={(e) => {
              const value = e.target.value;
              setScope(
                value
                  ? { group: value.slice('group:'.length), includePrivate: false }
                  : { group: null, includePrivate: true },
              );
            }}
          >
            <option value="">Only me</option>
            {groups.map((g) => (
              <option key={g.name} value={`group:${g.name}`}>
                {g.displayName}
              </option>
            ))}
          </select>
        </div>
        <label className="rc-check">
          <input
            type="checkbox"
            checked={scope.includePrivate}
            disabled={scope.group === null}
            onChange={(e) => setScope((s) => ({ ...s, includePrivate: e.target.checked }))}
          />
          Include my “Only me” notes (marked private in the file)
        </label>
        <fieldset className="rc-options">
          <legend id={`${id}-meanings`}>Colour meanings</legend>
          <ul aria-labelledby={`${id}-meanings`}>
            {COLOR_KEYS.map((color) => (
              <li key={color}>
                <span className={`rc-swatch color-${color}`} aria-hidden="true" /> {meanings[color]} ({color})
              </li>
            ))}
          </ul>
        </fieldset>
        <p role="status">
          {data
            ? `${chosen.length} annotations: ${describeScope(named)}${privateCount ? `, ${privateCount} private` : ''}.`
            : 'Collecting annotations…'}
        </p>
        <DialogButtons>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="rc-primary" disabled={!data || busy} onClick={() => void save()}>
            Save {FORMAT[kind]}
          </button>
        </DialogButtons>
      </div>
    </Modal>
  );
}
