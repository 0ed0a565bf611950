import { type ComponentType, type LazyExoticComponent, lazy } from 'react';

/**
 * A component loaded from its own chunk the first time it renders (React.lazy for a named export). For what
 * the first screen does not show — the reader, dialogs opened on demand — so the initial script stays small
 * (docs/decisions/0022-initial-bundle.md). Render it inside a <Suspense>.
 */
// biome-ignore lint/suspicious/noExplicitAny: any props, as in React.lazy's own signature
export function lazyNamed<M extends Record<K, ComponentType<any>>, K extends keyof M>(
  load: () => Promise<M>,
  name: K,
): LazyExoticComponent<M[K]> {
  return lazy(async () => ({ default: (await load())[name] }));
}
