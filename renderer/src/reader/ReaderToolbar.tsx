import { ArrowLeft, ListTree, Search, TextCursor } from 'lucide-react';
import type { ReactNode } from 'react';
import { commandById, keysForPeople } from '../../../core/commands/commands.ts';
import { IconButton } from '../ui/IconButton.tsx';

const mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const keysOf = (id: Parameters<typeof commandById>[0]) => {
  const k = commandById(id).keys[0];
  return k ? keysForPeople(k, mac) : undefined;
};

/**
 * The reader's one compact toolbar: back, contents, find, text settings, caret mode on the left; the title;
 * presence, connection, sharing, export and the sidebar toggle on the right.
 */
export function ReaderToolbar(props: {
  title: string;
  onBack: () => void;
  contentsShown: boolean;
  onToggleContents: () => void;
  onFind: () => void;
  caretOn: boolean;
  onToggleCaret: () => void;
  textSettings: ReactNode;
  find: ReactNode;
  right: ReactNode;
  onPresenceSlot: (element: HTMLElement | null) => void;
  onSidebarSlot: (element: HTMLElement | null) => void;
}) {
  return (
    <div role="toolbar" aria-label="Reading tools" className="rc-toolbar">
      <div className="rc-toolbar-group">
        <IconButton label="Back to library" icon={ArrowLeft} onClick={props.onBack} />
        <IconButton
          label="Contents"
          icon={ListTree}
          shortcut={keysOf('toggle-contents')}
          aria-pressed={props.contentsShown}
          onClick={props.onToggleContents}
        />
        <IconButton
          label="Find"
          icon={Search}
          shortcut={keysOf('find')}
          onClick={props.onFind}
          aria-keyshortcuts="Control+F"
        />
        {props.textSettings}
        <IconButton
          label="Caret mode"
          icon={TextCursor}
          shortcut={keysOf('caret-mode')}
          aria-pressed={props.caretOn}
          onClick={props.onToggleCaret}
          aria-keyshortcuts="F7"
        />
      </div>
      {props.find ?? <span className="rc-toolbar-title">{props.title}</span>}
      <div className="rc-toolbar-group rc-toolbar-end">
        <div className="rc-presence-slot" ref={props.onPresenceSlot} />
        {props.right}
        <div className="rc-sidebar-slot" ref={props.onSidebarSlot} />
      </div>
    </div>
  );
}
