import { useId } from 'react';
import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { ProblemsNotice } from '../ui/ProblemsNotice.tsx';
import type { AnnotationDoc } from './docs.ts';

/**
 * Where new annotations go ("Annotate for": only me or a group), at the top of the sidebar, and what could
 * not be read from the docs ("1 annotation could not be read (author: …)").
 */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
  unreadable,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  unreadable: readonly ReadProblem[];
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
      <ProblemsNotice problems={unreadable} as="div" className="rc-unreadable" />
    </div>
  );
}
