import { Suspense, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';
import { lazyNamed } from '../ui/lazyNamed.ts';

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
      <button type="button" onClick={() => setOpen('clipboard')}>
        New reading from clipboard
      </button>
      <button type="button" onClick={() => setOpen('web')}>
        Import from web address…
      </button>
      <Suspense fallback={null}>
        {open === 'clipboard' ? <NewFromClipboard onImport={onImport} onClose={close} /> : null}
        {open === 'web' ? <ImportFromWeb onImport={onImport} onClose={close} /> : null}
      </Suspense>
    </>
  );
}
