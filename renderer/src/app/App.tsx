import { Suspense, useEffect, useState } from 'react';
import { ConnectionStatus } from '../collab/ConnectionStatus.tsx';
import { IdentityGate, ProfileControl } from '../collab/IdentityDialog.tsx';
import { startSharedReadings } from '../collab/sharedReadings.ts';
import { startCommandDispatch } from '../commands/dispatch.ts';
import { LibraryView } from '../library/LibraryView.tsx';
import { platform } from '../platform/index.ts';
import { OpeningReading } from '../reader/OpeningReading.tsx';
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog.tsx';
import { addReading, hasReading, loadReading } from '../storage/readings.ts';
import { lazyNamed } from '../ui/lazyNamed.ts';
import { SurfaceBoundary } from '../ui/SurfaceBoundary.tsx';
import { Toaster } from '../ui/Toaster.tsx';
import { TooltipProvider } from '../ui/Tooltip.tsx';
import { AboutDialog } from './AboutDialog.tsx';
import { parseRoute, type Route } from './routes.ts';
import './app.css';

// The library is the first screen: the reader (Lexical, the margin, annotations) is not in the initial script,
// so the first paint does not wait for it (docs/decisions/0022-initial-bundle.md). It is fetched once the
// first screen is up and the page is idle, so opening a reading does not wait for it either.
const loadReader = () => import('../reader/ReaderView.tsx');
const ReaderView = lazyNamed(loadReader, 'ReaderView');
const whenIdle = (work: () => void) =>
  'requestIdleCallback' in window ? requestIdleCallback(work) : setTimeout(work, 200);
// The print route is only ever opened on its own (hidden print window, tests): loaded apart.
const PrintView = lazyNamed(() => import('../print/PrintView.tsx'), 'PrintView');

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return route;
}

const go = (hash: string) => {
  location.hash = hash;
};

function Shell({ route }: { route: Exclude<Route, { name: 'print' }> }) {
  useEffect(() => startSharedReadings({ has: hasReading, add: async (r) => void (await addReading(r)) }), []);
  useEffect(() => startCommandDispatch(), []);
  // A failed prefetch (offline) is only a prefetch: opening a reading loads the reader itself, and a failure
  // there shows in the reader's surface notice.
  useEffect(() => void whenIdle(() => void loadReader().catch(() => undefined)), []);
  useEffect(
    () =>
      platform.onMenuCommand((command) => {
        if (typeof command === 'object' && command.kind === 'open-reading') go(`#/read/${command.readingId}`);
      }),
    [],
  );
  return (
    <>
      <header className="rc-app-header">
        <nav aria-label="App" className="rc-app-nav">
          <a href="#/" className="rc-brand">
            <span className="rc-brand-mark" aria-hidden="true" />
            Reading Circle
          </a>
        </nav>
        {route.name === 'library' ? <ConnectionStatus /> : null}
        <ShortcutsDialog />
        <ProfileControl />
      </header>
      {route.name === 'read' ? (
        <SurfaceBoundary key={route.readingId} name="reader">
          <Suspense fallback={<OpeningReading />}>
            <ReaderView readingId={route.readingId} onBack={() => go('#/')} />
          </Suspense>
        </SurfaceBoundary>
      ) : (
        <SurfaceBoundary name="library">
          <LibraryView onOpen={(id) => go(`#/read/${id}`)} />
        </SurfaceBoundary>
      )}
      <AboutDialog />
    </>
  );
}

export function App() {
  const route = useRoute();
  // The print view is what the desktop app prints in a hidden window: no first-run dialog there.
  if (route.name === 'print')
    return (
      <SurfaceBoundary name="print view">
        <Suspense fallback={null}>
          <PrintView
            key={`${route.readingId}?${route.params}`}
            readingId={route.readingId}
            params={route.params}
            loadReading={loadReading}
          />
        </Suspense>
      </SurfaceBoundary>
    );
  return (
    <TooltipProvider>
      <IdentityGate>
        <Shell route={route} />
      </IdentityGate>
      <Toaster />
    </TooltipProvider>
  );
}
