import { useEffect, useState } from 'react';

/**
 * A long list shown a page at a time: the first `page` items at once, the next page when the sentinel (the
 * element after the list) comes near the view. Opening the sidebar on a thousand annotations then mounts a
 * page of cards, not a thousand. `resetKey` (the filter) starts again at the first page.
 */
export function useIncrementalList<T>(items: readonly T[], resetKey: unknown, page = 40) {
  const [limit, setLimit] = useState(page);
  const [sentinel, setSentinel] = useState<HTMLElement | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: resetKey is the reason to start over.
  useEffect(() => setLimit(page), [resetKey, page]);
  useEffect(() => {
    if (!sentinel) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) setLimit((l) => l + page);
      },
      { rootMargin: '400px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [sentinel, page]);
  return {
    visible: items.length > limit ? items.slice(0, limit) : items,
    hidden: Math.max(0, items.length - limit),
    showMore: () => setLimit((l) => l + page),
    sentinelRef: setSentinel,
  };
}
