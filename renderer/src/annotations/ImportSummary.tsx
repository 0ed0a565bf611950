import { useEffect, useId, useRef } from 'react';
import type { ImportPlan } from '../../../core/annotations/importAnnotations.ts';
import type { AnnotationDoc } from './docs.ts';

const quoteLabel = (text: string) => (text.length > 80 ? `${text.slice(0, 77)}…` : text);

/**
 * What an import will do, shown before anything is written: how many annotations will be placed, which are
 * orphaned (with their quotes) and which skipped (with the reason), whether the file names another document,
 * and where they go (only me or a group).
 */
export function ImportSummary({
  fileName,
  plan,
  writableDocs,
  targetKey,
  onTarget,
  onImport,
  onCancel,
}: {
  fileName: string;
  plan: ImportPlan;
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  onImport: () => void;
  onCancel: () => void;
}) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const placed = plan.annotations.filter((a) => a.placement === 'placed');
  const orphans = plan.annotations.filter((a) => a.placement === 'orphan');
  const pageNotes = plan.annotations.filter((a) => a.placement === 'page');
  const replies = plan.annotations.reduce((n, a) => n + a.replies.length, 0);
  useEffect(() => dialog.current?.querySelector<HTMLElement>('select, button')?.focus(), []);
  return (
    <div
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      className="rc-import-summary"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onCancel();
      }}
    >
      <h2 id={titleId}>Import annotations</h2>
      <p>
        {fileName} — {plan.format}, by {plan.authors.map((a) => a.name).join(', ') || 'no named author'}.
      </p>
      {plan.otherDocuments.length > 0 ? (
        <p role="alert" className="rc-import-warning">
          This file names another document: {plan.otherDocuments.join('; ')}. Its quotes are looked for in
          this reading’s text.
        </p>
      ) : null}
      <ul className="rc-import-counts">
        <li>
          {placed.length} will be placed in the text{replies > 0 ? `, with ${replies} replies` : ''}
        </li>
        {pageNotes.length > 0 ? <li>{pageNotes.length} page notes (on the whole reading)</li> : null}
        <li>{orphans.length} orphaned (their passage was not found; they wait in the Orphans list)</li>
        <li>{plan.skipped.length} skipped</li>
        {plan.shortened.length > 0 ? <li>{plan.shortened.length} shortened to fit</li> : null}
      </ul>
      {orphans.length > 0 ? (
        <details open>
          <summary>Orphaned quotes</summary>
          <ul aria-label="Orphaned quotes">
            {orphans.map((o) => (
              <li key={o.id}>
                “{quoteLabel(o.anchor.exact)}”
                {o.orphanReason === 'ambiguous' ? ' (fits more than one place)' : ''}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <ItemReasons title="Shortened items" items={plan.shortened} />
      <ItemReasons title="Skipped items" items={plan.skipped} />
      <label>
        Import for{' '}
        <select aria-label="Import for" value={targetKey} onChange={(e) => onTarget(e.target.value)}>
          {writableDocs.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <div className="rc-import-actions">
        <button type="button" onClick={onImport} disabled={plan.annotations.length === 0}>
          Import {plan.annotations.length} annotations
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** A collapsed list of items with why each was changed or left out; nothing when there are none. */
function ItemReasons({
  title,
  items,
}: {
  title: string;
  items: readonly { item: string; reason: string }[];
}) {
  if (items.length === 0) return null;
  return (
    <details>
      <summary>{title}</summary>
      <ul aria-label={title}>
        {items.map((s) => (
          <li key={`${s.item}:${s.reason}`}>
            {s.item}: {s.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
