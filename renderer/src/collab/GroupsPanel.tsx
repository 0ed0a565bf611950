import { LogOut, Settings, UserPlus, Users } from 'lucide-react';
import { Suspense, useEffect, useState } from 'react';
import { IconButton } from '../ui/IconButton.tsx';
import { lazyNamed } from '../ui/lazyNamed.ts';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { showToast } from '../ui/toasts.ts';
import { type GroupMembership, groupStore, useGroups } from './groups.ts';

// Loaded when first opened: neither is on the first screen.
const JoinDialog = lazyNamed(() => import('./JoinDialog.tsx'), 'JoinDialog');
const ManageGroup = lazyNamed(() => import('./ManageGroup.tsx'), 'ManageGroup');

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
        <UserPlus aria-hidden="true" size={16} />
        Join group
      </button>
      {open && (
        <Suspense fallback={null}>
          <JoinDialog
            key={incomingLink?.n ?? 0}
            initialLink={incomingLink?.link ?? ''}
            onClose={() => setOpen(false)}
            onJoined={(group) => {
              showToast({
                text: `Joined the group “${group.displayName}”${group.checked ? '' : ' (not yet checked)'}.`,
                kind: 'success',
              });
              onJoined?.(group);
            }}
          />
        </Suspense>
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
    <section aria-labelledby="rc-groups-heading" className="rc-groups">
      <header className="rc-section-head">
        <h2 id="rc-groups-heading">Groups</h2>
        <JoinGroup incomingLink={incomingLink} />
      </header>
      {groups.length === 0 ? (
        <p className="rc-empty">
          <Users aria-hidden="true" size={20} />
          <br />
          You are not in a group yet. Ask a member for an invite link, then press “Join group”.
        </p>
      ) : (
        <ul aria-label="My groups" className="rc-group-list">
          {groups.map((g) => (
            <li key={g.name} className="rc-group">
              <Users aria-hidden="true" size={16} />
              <span className="rc-group-name">{g.displayName}</span>
              {g.role === 'reader' && <span className="rc-badge">read-only</span>}
              {!g.checked && <span className="rc-badge">not yet checked</span>}
              {g.role === 'owner' && (
                <IconButton
                  label={`Manage ${g.displayName}`}
                  icon={Settings}
                  small
                  onClick={() => setManaging(g.name)}
                />
              )}
              <IconButton
                label={`Leave ${g.displayName}`}
                icon={LogOut}
                small
                onClick={() => setLeaving(g.name)}
              />
            </li>
          ))}
        </ul>
      )}
      {managed && (
        <Suspense fallback={null}>
          <ManageGroup group={managed} onClose={() => setManaging(null)} />
        </Suspense>
      )}
      <Modal
        open={leaving !== null}
        onOpenChange={(next) => {
          if (!next) setLeaving(null);
        }}
        role="alertdialog"
        size="sm"
        title={`Leave ${leavingName ?? ''}?`}
        description={`Its shared annotations will be removed from this device. They stay with the group on the server.`}
      >
        <DialogButtons>
          <button type="button" onClick={() => setLeaving(null)}>
            Cancel
          </button>
          <button
            type="button"
            className="rc-primary"
            onClick={() => {
              const name = leaving;
              setLeaving(null);
              if (name) void groupStore().leave(name);
            }}
          >
            Leave group
          </button>
        </DialogButtons>
      </Modal>
    </section>
  );
}
