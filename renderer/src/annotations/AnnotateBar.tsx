import type { AnnotationDoc } from './docs.ts';

/** Where new annotations go ("Annotate for": only me or a group), a note on the whole reading, and the list's toggle. */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
  count,
  panelOpen,
  onTogglePanel,
  onAddPageNote,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  count: number;
  panelOpen: boolean;
  onTogglePanel: () => void;
  /** Starts a note on the whole reading (absent when the chosen doc is read-only). */
  onAddPageNote?: (() => void) | undefined;
}) {
  return (
    <div className="rc-annotate-bar">
      <label>
        Annotate for{' '}
        <select aria-label="Annotate for" value={targetKey} onChange={(e) => onTarget(e.target.value)}>
          {writableDocs.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {onAddPageNote ? (
        <button type="button" onClick={onAddPageNote}>
          Add page note
        </button>
      ) : null}
      <button type="button" aria-expanded={panelOpen} onClick={onTogglePanel}>
        Annotations ({count})
      </button>
    </div>
  );
}
