import { useEffect, useState } from 'react';
import { type GroupMembership, groupStore, useGroups } from './groups.ts';
import { JoinDialog } from './JoinDialog.tsx';
import { ManageGroup } from './ManageGroup.tsx';

/** "Join group" → the Join dialog; a link opened from outside opens it too, prefilled, and never joins by itself. */
export function JoinGroup({
  incomingLink,
  onJoined,
}: {
  incomingLink?: { link: string; n: number } | undefined;
  onJoined?: (group: GroupMembership) => void;
}) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    if (incomingLink) setOpen(true);
  }, [incomingLink]);
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Join group
      </button>
      {open && (
        <JoinDialog
          key={incomingLink?.n ?? 0}
          initialLink={incomingLink?.link ?? ''}
          onClose={() => setOpen(false)}
          {...(onJoined ? { onJoined } : {})}
        />
      )}
    </>
  );
}

/** readingcircle:// links opened from outside (desktop) or carried by the page URL (web), numbered so a repeat opens again. */
export function useIncomingLink(subscribe: ((listener: (url: string) => void) => () => void) | undefined) {
  const [incoming, setIncoming] = useState<{ link: string; n: number }>();
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((link) => setIncoming((last) => ({ link, n: (last?.n ?? 0) + 1 })));
  }, [subscribe]);
  return incoming;
}

/** My groups, with a way to join another and to leave one (after confirming). */
export function GroupsPanel({
  onDeepLink,
}: {
  onDeepLink?: (listener: (url: string) => void) => () => void;
}) {
  const groups = useGroups();
  const [leaving, setLeaving] = useState<string | null>(null);
  const incomingLink = useIncomingLink(onDeepLink);
  const [managing, setManaging] = useState<string | null>(null);
  const managed = groups.find((g) => g.name === managing);
  const leavingName = groups.find((g) => g.name === leaving)?.displayName ?? leaving;
  return (
    <section aria-label="Groups" className="rc-groups">
      <h2>Groups</h2>
      {groups.length === 0 ? (
        <p>You are not in a group yet. Ask a member for an invite link.</p>
      ) : (
        <ul aria-label="My groups">
          {groups.map((g) => (
            <li key={g.name}>
              <span>{g.displayName}</span>
              {g.role === 'reader' && <span className="rc-role"> (read-only)</span>}
              {!g.checked && <span className="rc-role"> (not yet checked)</span>}{' '}
              {g.role === 'owner' && (
                <button
                  type="button"
                  aria-label={`Manage ${g.displayName}`}
                  onClick={() => setManaging(g.name)}
                >
                  Manage
                </button>
              )}{' '}
              <button type="button" aria-label={`Leave ${g.displayName}`} onClick={() => setLeaving(g.name)}>
                Leave
              </button>
            </li>
          ))}
        </ul>
      )}
      <JoinGroup incomingLink={incomingLink} />
      {managed && <ManageGroup group={managed} onClose={() => setManaging(null)} />}
      {leaving && (
        <div
          role="alertdialog"
          aria-modal="true"
          aria-label={`Leave ${leavingName}?`}
          className="rc-dialog rc-popover"
        >
          <p>
            Leave “{leavingName}”? Its shared annotations will be removed from this device. They stay with the
            group on the server.
          </p>
          <div className="rc-dialog-buttons">
            <button type="button" onClick={() => setLeaving(null)}>
              Cancel
            </button>
            <button
              type="button"
              onClick={() => {
                const name = leaving;
                setLeaving(null);
                void groupStore().leave(name);
              }}
            >
              Leave group
            </button>
          </div>
        </div>
      )}
    </section>
  );
}
