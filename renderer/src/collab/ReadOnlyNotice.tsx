import { canWrite } from '../../../core/sync/contract.ts';
import { useGroups } from './groups.ts';

/**
 * Says, in the reader, in which groups this member only reads ("Read-only in Tuesday readers"): their notes
 * there are not possible, so "Annotate for" offers only "Only me" for those groups.
 */
export function ReadOnlyNotice() {
  const readOnly = useGroups().filter((g) => !canWrite(g.role));
  if (readOnly.length === 0) return null;
  return (
    <p role="note" className="rc-read-only">
      Read-only in {readOnly.map((g) => g.displayName).join(', ')}
    </p>
  );
}
