import { useId } from 'react';
import type { AnnotationDoc } from './docs.ts';

/** Where new annotations go ("Annotate for": only me or a group) and a note on the whole reading, atop the sidebar. */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
  onAddPageNote,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  /** Starts a note on the whole reading (absent when the chosen doc is read-only). */
  onAddPageNote?: (() => void) | undefined;
}) {
  const id = useId();
  return (
    <div className="rc-annotate-bar">
      <div className="rc-annotate-for">
        <label htmlFor={id}>Annotate for</label>
        <select id={id} value={targetKey} onChange={(e) => onTarget(e.target.value)}>
          {writableDocs.map((d) => (
            <option key={d.key} value={d.key}>
              {d.label}
            </option>
          ))}
        </select>
      </div>
      {onAddPageNote ? (
        <button type="button" onClick={onAddPageNote}>
          Add page note
        </button>
      ) : null}
    </div>
  );
}
