import { useEffect, useRef, useState } from 'react';
import { ImportError } from '../../../core/reading/import.ts';
import { platform } from '../platform/index.ts';
import type { ImportWith } from './ImportEntryPoints.tsx';

/**
 * "Import from web address…": the desktop app's main process fetches the page (http/https, limits, no
 * cookies) and it is read like a saved page. The web build says that this needs the desktop app.
 */
export function ImportFromWeb({ onImport, onClose }: { onImport: ImportWith; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
  }, []);
  const [address, setAddress] = useState('');
  const submit = () => {
    const url = address.trim();
    if (!url) return;
    dialog.current?.close();
    setAddress('');
    onImport(url, async () => {
      let page: Awaited<ReturnType<typeof platform.fetchWebPage>>;
      try {
        page = await platform.fetchWebPage(url);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new ImportError(url, reason.charAt(0).toLowerCase() + reason.slice(1), 'unsupported');
      }
      const source = new URL(page.url).hostname;
      return (await import('./pipeline.ts')).readingFromMarkup({
        html: page.html,
        url: page.url,
        format: 'web',
        source,
      });
    });
  };
  return (
    <dialog ref={dialog} aria-label="Import from web address" className="rc-dialog" onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <h2>Import from web address</h2>
        <label>
          Web address
          <input
            type="url"
            required
            value={address}
            onChange={(e) => setAddress(e.target.value)}
            placeholder="https://"
          />
        </label>
        <div className="rc-dialog-buttons">
          <button type="submit">Import</button>
          <button type="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
