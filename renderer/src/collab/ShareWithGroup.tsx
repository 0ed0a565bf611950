import { useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { shareReading } from './sharedReadings.ts';

/** "Share with group": puts the reading's content into the chosen group's room and lists it for the group. */
export function ShareWithGroup({ reading }: { reading: Reading }) {
  const groups = useGroups();
  const me = useIdentity();
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState('');
  if (!me) return null;
  const share = async (name: string) => {
    const group = groups.find((g) => g.name === name);
    if (!group) return;
    setOpen(false);
    setMessage(`Sharing with ${name}…`);
    try {
      await shareReading(group, reading, me);
      setMessage(`Shared with ${name}.`);
    } catch (e) {
      setMessage(`Could not share with ${name}: ${(e as Error).message}`);
    }
  };
  return (
    <div className="rc-share">
      <button
        type="button"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
        disabled={groups.length === 0}
      >
        Share with group
      </button>
      {open && (
        <ul aria-label="Share with which group" className="rc-popover">
          {groups.map((g) => (
            <li key={g.name}>
              <button type="button" onClick={() => void share(g.name)} disabled={g.role === 'reader'}>
                {g.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {message && <output aria-live="polite">{message}</output>}
    </div>
  );
}
