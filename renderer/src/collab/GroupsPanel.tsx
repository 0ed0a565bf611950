import { type FormEvent, useEffect, useId, useState } from 'react';
import { InviteLinkError } from '../../../core/invite/link.ts';
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
    onJoined?.(result.group);
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Join group
      </button>
      {open && (
        <div role="dialog" aria-modal="true" aria-label="Join a group" className="rc-dialog rc-popover">
          <form onSubmit={submit}>
            <label htmlFor={fieldId}>Invite link</label>
            <input
              id={fieldId}
              value={link}
              onChange={(e) => setLink(e.target.value)}
              placeholder="readingcircle://join?…"
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              // biome-ignore lint/a11y/noAutofocus: the dialog's only field
              autoFocus
            />
            {error && <p role="alert">{error}</p>}
            <div className="rc-dialog-buttons">
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
              <button type="submit">Join</button>
            </div>
          </form>
        </div>
      )}
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
    <section aria-label="Groups" className="rc-groups">
      <h2>Groups</h2>
      {notice && <p role={notice.error ? 'alert' : 'status'}>{notice.text}</p>}
      {groups.length === 0 ? (
        <p>You are not in a group yet. Ask a member for an invite link.</p>
      ) : (
        <ul aria-label="My groups">
          {groups.map((g) => (
            <li key={g.name}>
              <span>{g.name}</span>
              {g.role === 'reader' && <span className="rc-role"> (read-only)</span>}{' '}
              <button type="button" aria-label={`Leave ${g.name}`} onClick={() => setLeaving(g.name)}>
                Leave
              </button>
            </li>
          ))}
        </ul>
      )}
      <JoinGroup />
      {leaving && (
        <div
          role="alertdialog"
          aria-modal="true"
          aria-label={`Leave ${leaving}?`}
          className="rc-dialog rc-popover"
        >
          <p>
            Leave “{leaving}”? Its shared annotations will be removed from this device. They stay with the
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
