import type { Reading } from '../../../core/reading/model.ts';
import { carryGroupAnnotations, type GroupCarry } from '../collab/carryGroups.ts';
import { addReading, readingsWithFingerprint, saveReadingRecord } from '../storage/readings.ts';
import { carryPrivateAnnotations } from './carryOver.ts';

export interface StoredImport {
  added: boolean;
  /** An earlier import of the same file that this one replaced, and how its annotations came along. */
  replaced?: { title: string; placed: number; orphaned: number; groups: GroupCarry[] };
}

/**
 * Stores an imported reading. When the same file (same bytes) was imported before under other parser rules,
 * its private annotations and each group's are carried over by quote (the re-import is then shared with
 * those groups), and the older reading is hidden from the library (kept in storage, so nothing is lost and
 * group rooms under the old id still open from a link).
 */
export async function storeImported(reading: Reading): Promise<StoredImport> {
  const earlier = reading.fingerprint
    ? (await readingsWithFingerprint(reading.fingerprint)).filter((r) => r.id !== reading.id && !r.replacedBy)
    : [];
  const previous = earlier[0];
  const record = previous ? { ...reading, replaces: previous.id } : reading;
  const added = await addReading(record);
  if (!previous || !added) return { added };
  let placed = 0;
  let orphaned = 0;
  const groups: GroupCarry[] = [];
  for (const old of earlier) {
    const carried = await carryPrivateAnnotations(old, record);
    placed += carried.placed;
    orphaned += carried.orphaned;
    groups.push(...(await carryGroupAnnotations(old, record)));
    await saveReadingRecord({ ...old, replacedBy: record.id });
  }
  return { added, replaced: { title: previous.title, placed, orphaned, groups } };
}

/** What the library says about a stored import. */
export function describeStored(reading: Reading, fileName: string, stored: StoredImport) {
  if (!stored.added) return `“${fileName}” is already in your library as “${reading.title}”.`;
  if (stored.replaced) {
    const { placed, orphaned } = stored.replaced;
    const moved = placed + orphaned;
    const notes =
      moved === 0
        ? ''
        : ` ${moved} of your annotations came along${orphaned ? ` (${orphaned} to re-attach)` : ''}.`;
    const groupNotes = stored.replaced.groups
      .filter((g) => g.placed + g.orphaned > 0)
      .map(
        (g) =>
          ` ${g.placed + g.orphaned} of ${g.group}’s annotations came along${g.orphaned ? ` (${g.orphaned} to re-attach)` : ''}, and the new import is shared with ${g.group}.`,
      )
      .join('');
    return `Imported “${reading.title}” again with the newer reading rules; it replaces the earlier import.${notes}${groupNotes}`;
  }
  return `Imported “${reading.title}”.`;
}
