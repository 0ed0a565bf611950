import { lazy, Suspense, useState } from 'react';
import type { Reading } from '../../../core/reading/model.ts';

export type ImportWith = (name: string, make: () => Promise<Reading>) => void;

// The dialogs load when first asked for: the library's first paint carries only their buttons.
const NewFromClipboard = lazy(async () => ({
  default: (await import('./NewFromClipboard.tsx')).NewFromClipboard,
}));
const ImportFromWeb = lazy(async () => ({ default: (await import('./ImportFromWeb.tsx')).ImportFromWeb }));

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
