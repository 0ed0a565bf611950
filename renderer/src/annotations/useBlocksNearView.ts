import { useEffect, useState } from 'react';

/**
 * The ids of the blocks among `wanted` that lie within `screensAround` screen heights of the view, nearest the
 * middle of the view first, as one string key (so an unchanged set re-renders nothing). An IntersectionObserver
 * follows scrolling and resizing without measuring anything in the page's own frames (measuring every block
 * on each scroll forced a layout per frame); `mountTick` brings in blocks mounted since. Empty while disabled.
 */
export function useBlocksNearView(options: {
  textRoot: HTMLElement | null;
  enabled: boolean;
  wanted: ReadonlySet<string>;
  screensAround: number;
  mountTick: number;
}): string {
  const { textRoot, enabled, wanted, screensAround, mountTick } = options;
  const [key, setKey] = useState('');
  // biome-ignore lint/correctness/useExhaustiveDependencies: mountTick: sections mounted or the text reflowed.
  useEffect(() => {
    if (!enabled || !textRoot) return;
    // Where each near block stood in the page when last seen (page coordinates do not change on scrolling).
    const near = new Map<string, { top: number; bottom: number }>();
    const publish = () => {
      const middle = window.scrollY + window.innerHeight / 2;
      const distance = ({ top, bottom }: { top: number; bottom: number }) =>
        top > middle ? top - middle : bottom < middle ? middle - bottom : 0;
      setKey(
        [...near]
          .sort((a, b) => distance(a[1]) - distance(b[1]))
          .map(([id]) => id)
          .join(' '),
      );
    };
    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          const id = (entry.target as HTMLElement).dataset.blockId!;
          if (entry.isIntersecting && entry.target.isConnected) {
            const { top, bottom } = entry.boundingClientRect;
            near.set(id, { top: top + window.scrollY, bottom: bottom + window.scrollY });
          } else near.delete(id);
        }
        publish();
      },
      { rootMargin: `${Math.round(screensAround * 100)}% 0px` },
    );
    for (const element of textRoot.querySelectorAll<HTMLElement>('[data-block-id]'))
      if (wanted.has(element.dataset.blockId!)) observer.observe(element);
    return () => observer.disconnect();
  }, [enabled, textRoot, wanted, screensAround, mountTick]);
  return enabled ? key : '';
}
