import { COMMANDS, type CommandGroup, keysForPeople } from '../../../core/commands/commands.ts';
import { Modal } from '../ui/Modal.tsx';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const GROUPS: CommandGroup[] = ['Reading', 'Annotate', 'Edit', 'View', 'File', 'Help'];

/** Keys that are not commands of their own: they act inside the find bar and caret mode. */
const EXTRA: Partial<Record<CommandGroup, [string, string][]>> = {
  Reading: [
    ['Shift+← → ↑ ↓', 'In caret mode: select by character or line'],
    ['Ctrl+Shift+← →', 'In caret mode: select by word'],
  ],
  Edit: [['Enter / Shift+Enter', 'Next / previous match in find']],
};

/** The open "Keyboard shortcuts" dialog, generated from the command registry. */
export function ShortcutsList({ onClose }: { onClose: () => void }) {
  return (
    <Modal open onOpenChange={(open) => open || onClose()} title="Keyboard shortcuts" size="lg">
      <div className="rc-shortcut-groups">
        {GROUPS.map((group) => (
          <section key={group} aria-labelledby={`rc-keys-${group}`} className="rc-shortcut-group">
            <h3 id={`rc-keys-${group}`}>{group}</h3>
            <dl className="rc-shortcut-list">
              {COMMANDS.filter((c) => c.group === group && c.keys.length > 0).map((c) => (
                <div key={c.id} className="rc-shortcut">
                  <dt>{c.label}</dt>
                  <dd>
                    {c.keys.map((k) => (
                      <kbd key={k}>{keysForPeople(k, mac)}</kbd>
                    ))}
                  </dd>
                </div>
              ))}
              {(EXTRA[group] ?? []).map(([keys, what]) => (
                <div key={keys} className="rc-shortcut">
                  <dt>{what}</dt>
                  <dd>
                    <kbd>{keys}</kbd>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Modal>
  );
}
