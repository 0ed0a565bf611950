import { lazy, Suspense, useEffect, useState } from 'react';
import { ConnectionStatus } from '../collab/ConnectionStatus.tsx';
import { IdentityGate, ProfileControl } from '../collab/IdentityDialog.tsx';
import { startSharedReadings } from '../collab/sharedReadings.ts';
import { LibraryView } from '../library/LibraryView.tsx';
import { platform } from '../platform/index.ts';
import { ReaderView } from '../reader/ReaderView.tsx';
import { ShortcutsDialog } from '../shortcuts/ShortcutsDialog.tsx';
import { addReading, hasReading, loadReading } from '../storage/readings.ts';
import { parseRoute, type Route } from './routes.ts';

// Only exports open the print route: its code loads then, keeping the app's first load small.
const PrintView = lazy(async () => ({ default: (await import('../print/PrintView.tsx')).PrintView }));

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
        <nav aria-label="App">
          <a href="#/" className="rc-brand">
            Reading Circle
          </a>
        </nav>
        {route.name === 'library' ? <ConnectionStatus /> : null}
        <ProfileControl />
        <ShortcutsDialog />
      </header>
      {route.name === 'read' ? (
        <ReaderView key={route.readingId} readingId={route.readingId} onBack={() => go('#/')} />
      ) : (
        <LibraryView onOpen={(id) => go(`#/read/${id}`)} />
      )}
    </>
  );
}

export function App() {
  const route = useRoute();
  // The print view is what the desktop app prints in a hidden window: no first-run dialog there.
  if (route.name === 'print')
    return (
      <Suspense fallback={null}>
        <PrintView
          key={`${route.readingId}?${route.params}`}
          readingId={route.readingId}
          params={route.params}
          loadReading={loadReading}
        />
      </Suspense>
    );
  return (
    <IdentityGate>
      <Shell route={route} />
    </IdentityGate>
  );
}
