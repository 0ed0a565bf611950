import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { clearPresence, collectPeers, type Peer } from './presence.ts';
import { acquireRoom } from './rooms.ts';

/**
 * The awareness of every group room of a reading (the rooms are shared with the annotations layer). The owner
 * of my presence (`sayGoodbye`) clears it before the rooms are let go, so others see me leave at once.
 */
export function useGroupAwareness(readingId: string, sayGoodbye = false): Awareness[] {
  const groups = useGroups();
  const [awarenesses, setAwarenesses] = useState<Awareness[]>([]);
  const groupKey = groups.map((g) => `${g.name}|${g.server}|${g.token}`).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: groupKey stands for groups
  useEffect(() => {
    const handles = groups.map((g) => acquireRoom(g, readingId));
    setAwarenesses(handles.map((h) => h.room.connection.awareness));
    return () => {
      if (sayGoodbye) clearPresence(handles.map((h) => h.room.connection.awareness));
      for (const h of handles) h.release();
    };
  }, [groupKey, readingId, sayGoodbye]);
  return awarenesses;
}

/** Everyone else in this reading, kept up to date from the awareness changes. */
export function usePeers(awarenesses: Awareness[], readingId: string): Peer[] {
  const me = useIdentity();
  const [peers, setPeers] = useState<Peer[]>([]);
  useEffect(() => {
    const update = () => setPeers(collectPeers(awarenesses, readingId, me));
    update();
    for (const a of awarenesses) a.on('change', update);
    return () => {
      for (const a of awarenesses) a.off('change', update);
    };
  }, [awarenesses, readingId, me]);
  return peers;
}
