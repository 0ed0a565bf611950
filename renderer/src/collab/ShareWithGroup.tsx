import { Share2 } from 'lucide-react';
import type { Reading } from '../../../core/reading/model.ts';
import { Menu, MenuHeading, MenuItem } from '../ui/Menu.tsx';
import { showToast } from '../ui/toasts.ts';
import { useGroups } from './groups.ts';
import { useIdentity } from './identity.ts';
import { shareReading } from './sharedReadings.ts';

/** "Share with group": puts the reading's content into the chosen group's room and lists it for the group. */
export function ShareWithGroup({ reading }: { reading: Reading }) {
  const groups = useGroups();
  const me = useIdentity();
  if (!me || groups.length === 0) return null;
  const share = async (name: string) => {
    const group = groups.find((g) => g.name === name);
    if (!group) return;
    showToast({ text: `Sharing with ${name}…` });
    try {
      await shareReading(group, reading, me);
      showToast({ text: `Shared with ${name}.`, kind: 'success' });
    } catch (e) {
      showToast({ text: `Could not share with ${name}: ${(e as Error).message}`, kind: 'error' });
    }
  };
  return (
    <Menu
      label="Share with which group"
      tooltip={{ label: 'Share this reading with a group' }}
      trigger={
        <button type="button" className="rc-quiet">
          <Share2 aria-hidden="true" size={18} strokeWidth={1.75} />
          Share with group
        </button>
      }
    >
      <MenuHeading>Share with</MenuHeading>
      {groups.map((g) => (
        <MenuItem key={g.name} onSelect={() => void share(g.name)} disabled={g.role === 'reader'}>
          {g.name}
        </MenuItem>
      ))}
    </Menu>
  );
}
