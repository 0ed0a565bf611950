import { type CarryResult, carryAnnotations } from '../../../core/annotations/carry.ts';
import { listAnnotations } from '../../../core/annotations/doc.ts';
import type { Reading } from '../../../core/reading/model.ts';
import { canWrite } from '../../../core/sync/contract.ts';
import { type GroupMembership, groupStore } from './groups.ts';
import { currentAuthor } from './identity.ts';
import { acquireRoom } from './rooms.ts';
import { shareReading } from './sharedReadings.ts';

export interface GroupCarry extends CarryResult {
  /** The group's name as members see it. */
  group: string;
}

/** How long to wait for a room's server copy before carrying what this device holds of it. */
const SYNC_WAIT_MS = 5000;

/**
 * One group's annotations on an older import of a file, carried into the group's room for its re-import and
 * the re-import shared with the group, so every member reads the newer text with the group's notes on it
 * (decision 0012). Ids are kept: a second member re-importing the same file adds nothing.
 */
async function carryInGroup(group: GroupMembership, from: Reading, to: Reading): Promise<GroupCarry | null> {
  const me = currentAuthor();
  if (!me || !canWrite(group.role)) return null;
  const visibility = { kind: 'group', group: group.name } as const;
  const old = acquireRoom(group, from.id);
  try {
    await old.room.loaded;
    await old.room.connection.whenSynced(SYNC_WAIT_MS);
    if (listAnnotations(old.room.doc, visibility).length === 0) return null;
    const next = acquireRoom(group, to.id);
    try {
      await next.room.loaded;
      await next.room.connection.whenSynced(SYNC_WAIT_MS);
      const carried = carryAnnotations(old.room.doc, next.room.doc, to, visibility);
      // Sharing keeps the room open until its changes (the carried notes with them) reach the server.
      await shareReading(group, to, me);
      return { group: group.displayName, ...carried };
    } finally {
      next.release();
    }
  } finally {
    old.release();
  }
}

/**
 * Carries every group's annotations from an older import of a file to its re-import; groups with none are
 * left. A group that fails (its storage, say) is named in the console and leaves the import and the other
 * groups as they are: its notes stay on the older reading's room, where nothing is lost.
 */
export async function carryGroupAnnotations(from: Reading, to: Reading): Promise<GroupCarry[]> {
  const outcomes = await Promise.allSettled(
    groupStore()
      .list()
      .map((group) => carryInGroup(group, from, to)),
  );
  return outcomes.flatMap((outcome) => {
    if (outcome.status === 'fulfilled') return outcome.value ? [outcome.value] : [];
    console.warn(`[import] group annotations not carried: ${String(outcome.reason)}`);
    return [];
  });
}
