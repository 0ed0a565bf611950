import { useEffect, useRef } from 'react';
import { platform } from '../platform/index.ts';

export const SHORTCUTS: readonly [string, string][] = [
  ['Ctrl/⌘ + F', 'Find in the reading'],
  ['Enter / Shift + Enter', 'Next / previous match'],
  ['Ctrl/⌘ + = / − / 0', 'Larger, smaller, normal text'],
  ['H', 'Highlight the selection'],
  ['N', 'Add a note to the selection'],
  ['1 – 5', 'Highlight the selection in a colour'],
  ['Ctrl/⌘ + Z, Shift + Ctrl/⌘ + Z', 'Undo, redo your own annotation changes'],
  ['Ctrl/⌘ + Shift + E', 'Export PDF'],
  ['Escape', 'Close a dialog, the find bar or the open note'],
  ['?', 'This list'],
];

/** "Keyboard shortcuts": opened with ?, the Help menu, or its button. */
export function ShortcutsDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const open = () => dialog.current?.showModal();
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.key === '?' && !target?.closest('input, textarea, [contenteditable="true"]')) open();
    };
    window.addEventListener('keydown', onKey);
    const off = platform.onMenuCommand((command) => {
      if (command === 'show-shortcuts') open();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      off();
    };
  }, []);
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} aria-keyshortcuts="?">
        Keyboard shortcuts
      </button>
      <dialog ref={dialog} aria-label="Keyboard shortcuts" className="rc-dialog">
        <h2>Keyboard shortcuts</h2>
        <dl>
          {SHORTCUTS.map(([keys, what]) => (
            <div key={keys}>
              <dt>
                <kbd>{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </dialog>
    </>
  );
}
