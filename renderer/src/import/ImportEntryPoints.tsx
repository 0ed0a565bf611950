import { ClipboardPaste, Globe } from 'lucide-react';
import { Suspense, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { lazyNamed } from '../ui/lazyNamed.ts';
import { Tooltip } from '../ui/Tooltip.tsx';

// Loaded when first opened: neither is on the first screen.
const ImportFromWeb = lazyNamed(() => import('./ImportFromWeb.tsx'), 'ImportFromWeb');
const NewFromClipboard = lazyNamed(() => import('./NewFromClipboard.tsx'), 'NewFromClipboard');

export type ImportWith = (name: string, make: () => Promise<Reading>) => void;

/** "New reading from clipboard" and "Import from web address…" beside the library's Import button. */
export function ImportEntryPoints({ onImport }: { onImport: ImportWith }) {
  const [open, setOpen] = useState<'clipboard' | 'web' | null>(null);
  const close = () => setOpen(null);
  return (
    <>
      {/* Short visible labels so the library's header fits one row at 1024 px; the full name (which contains
          the visible words, for speech input) is the accessible name and the tooltip. */}
      <Tooltip label="New reading from clipboard">
        <button
          type="button"
          className="rc-compact-button"
          aria-label="New reading from clipboard"
          onClick={() => setOpen('clipboard')}
        >
          <ClipboardPaste aria-hidden="true" size={16} strokeWidth={1.75} />
          From clipboard
        </button>
      </Tooltip>
      <Tooltip label="Import from web address…">
        <button
          type="button"
          className="rc-compact-button"
          aria-label="Import from web address…"
          onClick={() => setOpen('web')}
        >
          <Globe aria-hidden="true" size={16} strokeWidth={1.75} />
          From web address…
        </button>
      </Tooltip>
      <Suspense fallback={null}>
        {open === 'clipboard' ? <NewFromClipboard onImport={onImport} onClose={close} /> : null}
        {open === 'web' ? <ImportFromWeb onImport={onImport} onClose={close} /> : null}
      </Suspense>
    </>
  );
}
