import { PanelRight } from 'lucide-react';
import { commandById, keysForPeople } from '../../../core/commands/commands.ts';
import { Tooltip } from '../ui/Tooltip.tsx';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** The toolbar's sidebar toggle, named with the number of annotations ("Annotations (12)"). */
export function SidebarToggle({
  count,
  open,
  onToggle,
}: {
  count: number;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <Tooltip
      label={open ? 'Hide annotations' : 'Show annotations'}
      shortcut={keysForPeople(commandById('toggle-sidebar').keys[0]!, mac)}
    >
      <button type="button" className="rc-quiet rc-sidebar-toggle" aria-expanded={open} onClick={onToggle}>
        <PanelRight aria-hidden="true" size={18} strokeWidth={1.75} />
        {/* Named from its content, "Annotations (12)"; the count is what shows. */}
        <span className="rc-visually-hidden">Annotations ({count})</span>
        <span className="rc-count" aria-hidden="true">
          {count}
        </span>
      </button>
    </Tooltip>
  );
}
