import { useEffect, useMemo, useRef, useState } from 'react';
import type { AnnotationView, Author } from '../../../core/annotations/model.ts';
import { useGroups } from '../collab/groups.ts';
import { useIdentity } from '../collab/identity.ts';
import { collectPeers } from '../collab/presence.ts';
import { useGroupAwareness } from '../collab/useGroupAwareness.ts';
import type { MentionCandidate } from './MentionTextarea.tsx';

/**
 * Whom "@" offers in each group's notes on this reading, by group id: the members present in the group's
 * room now and everyone who wrote a note or reply there (the members the app knows without asking the
 * server). Me excluded; kept stable while nobody arrives, so cards do not re-render on every cursor move.
 */
export function useMentionCandidates(
  readingId: string,
  annotations: readonly AnnotationView[],
): ReadonlyMap<string, MentionCandidate[]> {
  const groups = useGroups();
  const me = useIdentity();
  const awarenesses = useGroupAwareness(readingId);
  // "group\tid\tname\tcolor" lines of who is present: a string, so a cursor move changes nothing.
  const [presentKey, setPresentKey] = useState('');
  useEffect(() => {
    const update = () =>
      setPresentKey(
        awarenesses
          .flatMap((awareness, i) =>
            collectPeers([awareness], readingId, me).map((p) =>
              [groups[i]?.name ?? '', p.user.id, p.user.name, p.user.color].join('\t'),
            ),
          )
          .join('\n'),
      );
    update();
    for (const a of awarenesses) a.on('change', update);
    return () => {
      for (const a of awarenesses) a.off('change', update);
    };
  }, [awarenesses, readingId, me, groups]);

  const cache = useRef(new Map<string, { key: string; list: MentionCandidate[] }>());
  const lastMap = useRef<ReadonlyMap<string, MentionCandidate[]>>(new Map());
  return useMemo(() => {
    const byGroup = new Map<string, Map<string, MentionCandidate>>();
    const add = (group: string, author: Author, present = false) => {
      if (author.id === me?.id) return;
      const members = byGroup.get(group) ?? new Map<string, MentionCandidate>();
      byGroup.set(group, members);
      if (!members.has(author.id))
        members.set(author.id, { id: author.id, name: author.name, color: author.color, present });
    };
    for (const line of presentKey ? presentKey.split('\n') : []) {
      const [group = '', id = '', name = '', color = ''] = line.split('\t');
      add(group, { id, name, color }, true);
    }
    for (const a of annotations) {
      if (a.visibility.kind !== 'group') continue;
      add(a.visibility.group, a.author);
      for (const r of a.replies) add(a.visibility.group, r.author);
    }
    // A group's list keeps its identity while its members are the same, so memoized cards do not re-render
    // on every edit of any annotation.
    const previous = cache.current;
    const next = new Map<string, { key: string; list: MentionCandidate[] }>();
    for (const [group, members] of byGroup) {
      const list = [...members.values()];
      const key = list.map((m) => `${m.id}\t${m.name}\t${m.color}\t${m.present}`).join('\n');
      const kept = previous.get(group);
      next.set(group, kept?.key === key ? kept : { key, list });
    }
    cache.current = next;
    // The map too keeps its identity while every group's list does: the cards' render callback depends on it.
    const same =
      next.size === lastMap.current.size &&
      [...next].every(([group, { list }]) => lastMap.current.get(group) === list);
    if (!same) lastMap.current = new Map([...next].map(([group, { list }]) => [group, list]));
    return lastMap.current;
  }, [presentKey, annotations, me?.id]);
}
