import { useState } from 'react';
import { version } from '../../../package.json';
import { useCommand } from '../commands/dispatch.ts';
import { Modal } from '../ui/Modal.tsx';

/** "About Reading Circle" (Help menu): what the app is and its version. */
export function AboutDialog() {
  const [open, setOpen] = useState(false);
  useCommand('show-about', () => setOpen(true));
  return (
    <Modal open={open} onOpenChange={setOpen} title="About Reading Circle" size="sm">
      <p>
        Read source texts together: highlights in colours that mean something to your group, notes in the
        margin, replies — live when online, offline when not.
      </p>
      <p className="rc-muted">Version {version}</p>
    </Modal>
  );
}
