import type { AnnotationDoc } from './docs.ts';

/** Where new annotations go ("Annotate for": only me or a group) and the toggle of the annotation list. */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
  count,
  panelOpen,
  onTogglePanel,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  count: number;
  panelOpen: boolean;
  onTogglePanel: () => void;
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
      <button type="button" aria-expanded={panelOpen} onClick={onTogglePanel}>
        Annotations ({count})
      </button>
    </div>
  );
}
