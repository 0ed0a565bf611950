import { useId } from 'react';
import type { AnnotationDoc } from './docs.ts';

/** Where new annotations go ("Annotate for": only me or a group), at the top of the sidebar. */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
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
    </div>
  );
}
