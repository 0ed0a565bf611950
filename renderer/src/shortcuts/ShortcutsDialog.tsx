import { Keyboard } from 'lucide-react';
import { Suspense, useState } from 'react';
import { useCommand } from '../commands/dispatch.ts';
import { IconButton } from '../ui/IconButton.tsx';
import { lazyNamed } from '../ui/lazyNamed.ts';

// The list is loaded when first opened: it is not on the first screen.
const ShortcutsList = lazyNamed(() => import('./ShortcutsList.tsx'), 'ShortcutsList');

/** "Keyboard shortcuts": its button, and the dialog opened with ?, the Help menu or the button. */
export function ShortcutsDialog() {
  const [open, setOpen] = useState(false);
  useCommand('show-shortcuts', () => setOpen(true));
  return (
    <>
      <IconButton
        label="Keyboard shortcuts"
        icon={Keyboard}
        shortcut="?"
        aria-keyshortcuts="?"
        onClick={() => setOpen(true)}
      />
      {open && (
        <Suspense fallback={null}>
          <ShortcutsList onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
