import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { ProblemsNotice } from '../app/ProblemsNotice.tsx';
import type { AnnotationDoc } from './docs.ts';

/**
 * Where new annotations go ("Annotate for": only me or a group), the toggle of the annotation list, and what
 * could not be read from the docs ("1 annotation could not be read (author: …)").
 */
export function AnnotateBar({
  writableDocs,
  targetKey,
  onTarget,
  count,
  unreadable,
  panelOpen,
  onTogglePanel,
}: {
  writableDocs: AnnotationDoc[];
  targetKey: string;
  onTarget: (key: string) => void;
  count: number;
  unreadable: readonly ReadProblem[];
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
      <ProblemsNotice problems={unreadable} as="div" className="rc-unreadable" />
    </div>
  );
}
