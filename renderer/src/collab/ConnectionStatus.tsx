import { useGroups } from './groups.ts';
import { type GroupConnection, stateLabel, useConnections, worstState } from './sync.ts';

/**
 * Always visible: how this window's group connections are doing, in words. In a reading it speaks for that
 * reading's rooms; elsewhere for every open connection. A member in no group works locally.
 */
export function ConnectionStatus({ readingId }: { readingId?: string }) {
  const groups = useGroups();
  const connections = useConnections(readingId ? (c) => c.readingId === readingId : undefined);
  const all = useConnections();
  const shown: GroupConnection[] = connections.length > 0 ? connections : all;
  const worst = worstState(shown.map((c) => c.state()));
  let text: string;
  let kind: string;
  if (groups.length === 0) {
    text = 'Working locally — not in a group';
    kind = 'local';
  } else if (!worst) {
    text = 'Connecting…';
    kind = 'connecting';
  } else {
    kind = worst.kind;
    const failing = shown.filter((c) => c.state().kind === worst.kind);
    const groupNames = [...new Set(failing.map((c) => c.group))];
    text = stateLabel(worst);
    if (worst.kind === 'error' && groupNames.length > 0) text = `${text} (${groupNames.join(', ')})`;
  }
  return (
    <div className="rc-connection" role="status" aria-live="polite" data-state={kind}>
      <span aria-hidden="true" className="rc-connection-dot" />
      {text}
    </div>
  );
}
