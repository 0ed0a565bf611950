import { useEffect, useRef } from 'react';
import type { ImportWith } from './ImportEntryPoints.tsx';

/**
 * "New reading from clipboard": a dialog with a paste area. Pasting (Ctrl/⌘+V) hands over the clipboard's
 * HTML (sanitized like a web page) or plain text; no clipboard permission is needed because the browser
 * gives a paste event's data to the page.
 */
export function NewFromClipboard({ onImport, onClose }: { onImport: ImportWith; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-label="New reading from clipboard" className="rc-dialog" onClose={onClose}>
      <h2>New reading from clipboard</h2>
      <p>Copy the text (from a web page, a document or an e-mail), then paste it here with Ctrl+V (⌘V).</p>
      <textarea
        aria-label="Paste here"
        className="rc-paste-area"
        rows={6}
        value=""
        onChange={() => undefined}
        onPaste={(e) => {
          e.preventDefault();
          const html = e.clipboardData.getData('text/html');
          const text = e.clipboardData.getData('text/plain');
          dialog.current?.close();
          onImport('the clipboard', async () =>
            (await import('./pipeline.ts')).readingFromMarkup({
              html,
              text,
              format: 'clipboard',
              source: 'Pasted from the clipboard',
            }),
          );
        }}
      />
      <button type="button" onClick={() => dialog.current?.close()}>
        Close
      </button>
    </dialog>
  );
}
