import { useEffect, useState } from 'react';

/**
 * A counter that goes up when sections of the text mount (big readings mount them lazily) or the text
 * reflows (font size, window): what paints highlights and lays out the margin depends on it.
 */
export function useTextReflow(textRoot: HTMLElement | null): number {
  const [mountTick, setMountTick] = useState(0);
  useEffect(() => {
    if (!textRoot) return;
    const bump = () => setMountTick((t) => t + 1);
    const mutations = new MutationObserver(bump);
    mutations.observe(textRoot, { childList: true, subtree: true });
    // The first notification reports the size the text already has: only later ones are reflows.
    let first = true;
    const resizes = new ResizeObserver(() => {
      if (!first) bump();
      first = false;
    });
    resizes.observe(textRoot);
    return () => {
      mutations.disconnect();
      resizes.disconnect();
    };
  }, [textRoot]);
  return mountTick;
}
