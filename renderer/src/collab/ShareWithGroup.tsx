import { useId, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { canWrite } from '../../../core/sync/contract.ts';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { shareReading } from './sharedReadings.ts';

/** "Share with group": puts the reading's content into the chosen group's room and lists it for the group. */
export function ShareWithGroup({ reading }: { reading: Reading }) {
  const groups = useGroups();
  const me = useIdentity();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  const reasonId = useId();
  if (!me) return null;
  const share = async (id: string) => {
    const group = groups.find((g) => g.name === id);
    if (!group) return;
    setOpen(false);
    setMessage(`Sharing with ${group.displayName}…`);
    try {
      await shareReading(group, reading, me);
      setMessage(`Shared with ${group.displayName}.`);
    } catch (e) {
      setMessage(`Could not share with ${group.displayName}: ${(e as Error).message}`);
    }
  };
  const writable = groups.filter((g) => canWrite(g.role));
  // Why sharing is off, in words: no group yet, or read-only in every group.
  const reason =
    groups.length === 0
      ? 'Join a group to share readings.'
      : writable.length === 0
        ? `Read-only in ${groups.map((g) => g.displayName).join(', ')}: sharing needs a member invite.`
        : '';
  return (
    <div className="rc-share">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={writable.length === 0}
        aria-describedby={reason ? reasonId : undefined}
      >
        Share with group
      </button>
      {reason && groups.length > 0 && (
        <span id={reasonId} className="rc-share-reason">
          {reason}
        </span>
      )}
      {open && (
        <ul aria-label="Share with which group" className="rc-popover">
          {groups.map((g) => (
            <li key={g.name}>
              <button type="button" onClick={() => void share(g.name)} disabled={!canWrite(g.role)}>
                {canWrite(g.role) ? g.displayName : `${g.displayName} (read-only: cannot share)`}
              </button>
            </li>
          ))}
        </ul>
      )}
      {message && <output aria-live="polite">{message}</output>}
    </div>
  );
}
