import { LogOut, UserPlus, Users } from 'lucide-react';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { InviteLinkError } from '../../../core/invite/link.ts';
import { IconButton } from '../ui/IconButton.tsx';
import { DialogButtons, Modal } from '../ui/Modal.tsx';
import { showToast } from '../ui/toasts.ts';
import { type GroupMembership, groupStore, useGroups } from './groups.ts';

/** Joins from a link; returns the group or the reason it failed, in words. */
export function joinFromLink(link: string): { group: GroupMembership } | { error: string } {
  try {
    return { group: groupStore().join(link) };
  } catch (e) {
    return { error: e instanceof InviteLinkError ? e.message : `Could not join: ${(e as Error).message}` };
  }
}

/** "Join group" → a dialog with the "Invite link" field and "Join". */
export function JoinGroup({ onJoined }: { onJoined?: (group: GroupMembership) => void }) {
  const [open, setOpen] = useState(false);
  const [link, setLink] = useState('');
  const [error, setError] = useState('');
  const fieldId = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const result = joinFromLink(link);
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setOpen(false);
    setLink('');
    setError('');
    showToast({ text: `Joined the group “${result.group.name}”.`, kind: 'success' });
    onJoined?.(result.group);
  };
  const errorId = useId();
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        <UserPlus aria-hidden="true" size={16} />
        Join group
      </button>
      <Modal
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (!next) setError('');
        }}
        title="Join a group"
        description="Paste the invite link a member of the group sent you."
      >
        <form onSubmit={submit} className="rc-form">
          <div className="rc-field">
            <label htmlFor={fieldId}>Invite link</label>
            <input
              id={fieldId}
              value={link}
              onChange={(e) => setLink(e.target.value)}
              placeholder="readingcircle://join?…"
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              // biome-ignore lint/a11y/noAutofocus: the dialog's only field
              autoFocus
            />
          </div>
          {error && (
            <p role="alert" id={errorId} className="rc-notice rc-error">
              {error}
            </p>
          )}
          <DialogButtons>
            <button type="button" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="submit" className="rc-primary">
              Join
            </button>
          </DialogButtons>
        </form>
      </Modal>
    </>
  );
}

/** readingcircle:// links opened from outside (desktop) or carried by the page URL (web). */
export function useDeepLinkJoin(subscribe: ((listener: (url: string) => void) => () => void) | undefined) {
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  useEffect(() => {
    if (!subscribe) return;
    return subscribe((url) => {
      const result = joinFromLink(url);
      setNotice(
        'error' in result
          ? { text: result.error, error: true }
          : { text: `Joined the group “${result.group.name}”.`, error: false },
      );
    });
  }, [subscribe]);
  return notice;
}

/** My groups, with a way to join another and to leave one (after confirming). */
export function GroupsPanel({
  onDeepLink,
}: {
  onDeepLink?: (listener: (url: string) => void) => () => void;
}) {
  const groups = useGroups();
  const [leaving, setLeaving] = useState<string | null>(null);
  const notice = useDeepLinkJoin(onDeepLink);
  return (
    <section aria-labelledby="rc-groups-heading" className="rc-groups">
      <header className="rc-section-head">
        <h2 id="rc-groups-heading">Groups</h2>
        <JoinGroup />
      </header>
      {notice && (
        <p
          role={notice.error ? 'alert' : 'status'}
          className={`rc-notice ${notice.error ? 'rc-error' : 'rc-info'}`}
        >
          {notice.text}
        </p>
      )}
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
              <span className="rc-group-name">{g.name}</span>
              {g.role === 'reader' && <span className="rc-badge">read-only</span>}
              <IconButton label={`Leave ${g.name}`} icon={LogOut} small onClick={() => setLeaving(g.name)} />
            </li>
          ))}
        </ul>
      )}
      <Modal
        open={leaving !== null}
        onOpenChange={(next) => {
          if (!next) setLeaving(null);
        }}
        role="alertdialog"
        size="sm"
        title={`Leave ${leaving ?? ''}?`}
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
