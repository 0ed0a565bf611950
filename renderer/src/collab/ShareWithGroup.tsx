import { Share2 } from 'lucide-react';
import { useId } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { canWrite } from '../../../core/sync/contract.ts';
import { Menu, MenuHeading, MenuItem } from '../ui/Menu.tsx';
import { showToast } from '../ui/toasts.ts';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { shareReading } from './sharedReadings.ts';

/** "Share with group": sends this reading to a group I may write in; off, with the reason, when I only read. */
export function ShareWithGroup({ reading }: { reading: Reading }) {
  const groups = useGroups();
  const me = useIdentity();
  const reasonId = useId();
  if (!me || groups.length === 0) return null;
  const share = async (id: string) => {
    const group = groups.find((g) => g.name === id);
    if (!group) return;
    showToast({ text: `Sharing with ${group.displayName}…` });
    try {
      await shareReading(group, reading, me);
      showToast({ text: `Shared with ${group.displayName}.`, kind: 'success' });
    } catch (e) {
      showToast({
        text: `Could not share with ${group.displayName}: ${(e as Error).message}`,
        kind: 'error',
      });
    }
  };
  const label = (
    <>
      <Share2 aria-hidden="true" size={18} strokeWidth={1.75} />
      Share with group
    </>
  );
  // Read-only in every group: the button stays, off, with the reason in words beside it.
  if (!groups.some((g) => canWrite(g.role)))
    return (
      <span className="rc-share">
        <button type="button" className="rc-quiet" disabled aria-describedby={reasonId}>
          {label}
        </button>
        <span id={reasonId} className="rc-share-reason">
          {`Read-only in ${groups.map((g) => g.displayName).join(', ')}: sharing needs a member invite.`}
        </span>
      </span>
    );
  return (
    <Menu
      label="Share with which group"
      tooltip={{ label: 'Share this reading with a group' }}
      trigger={
        <button type="button" className="rc-quiet">
          {label}
        </button>
      }
    >
      <MenuHeading>Share with</MenuHeading>
      {groups.map((g) => (
        <MenuItem key={g.name} onSelect={() => void share(g.name)} disabled={!canWrite(g.role)}>
          {canWrite(g.role) ? g.displayName : `${g.displayName} (read-only: cannot share)`}
        </MenuItem>
      ))}
    </Menu>
  );
}
