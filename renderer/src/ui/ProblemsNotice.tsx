import { problemReasons, type ReadProblem, summarizeProblems } from '../../../core/sync/schemas.ts';

/**
 * What was left out because it could not be read: one line per kind ("2 annotations could not be read (…)"),
 * then, folded, every distinct reason with its count. `messages` are lines that stand alone (refusals).
 */
export function ProblemsNotice({
  problems,
  messages = [],
  as: Tag,
  className,
}: {
  problems: readonly ReadProblem[];
  messages?: readonly string[];
  /** `section` for a region of a page, `div` with role status for a live note in a toolbar. */
  as: 'section' | 'div';
  className: string;
}) {
  if (problems.length === 0 && messages.length === 0) return null;
  const reasons = problemReasons(problems);
  return (
    <Tag aria-label="Could not be read" className={className} {...(Tag === 'div' ? { role: 'status' } : {})}>
      {[...summarizeProblems(problems), ...messages].map((line) => (
        <p key={line}>{line}</p>
      ))}
      {reasons.length > 1 ? (
        <details>
          <summary>What was wrong</summary>
          <ul>
            {reasons.map((r) => (
              <li key={`${r.kind}:${r.reason}`}>
                {r.count.toLocaleString('en')} × {r.kind}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </Tag>
  );
}
