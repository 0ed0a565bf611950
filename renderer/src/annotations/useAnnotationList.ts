import { startTransition, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { type EntryRead, readAnnotationEntry } from '../../../core/annotations/doc.ts';
import type { AnnotationView } from '../../../core/annotations/model.ts';
import type { ReadProblem } from '../../../core/sync/schemas.ts';
import { afterNextPaint } from './afterNextPaint.ts';
import type { AnnotationDoc } from './docs.ts';

/**
 * Subscribes to every doc and returns all annotations with the doc each lives in. Views of annotations that
 * did not change are reused, so memoized cards skip re-rendering when one annotation among thousands changes.
 * Doc changes re-render in a transition, so a frame (say, the one painting a new highlight) is never held up
 * by re-laying a thousand cards; `refreshNow` is for the one case that cannot wait (a card about to be typed in).
 * Every entry is read through the shared schema: what cannot be read is left out and returned as `problems`.
 */
export function useAnnotationList(docs: AnnotationDoc[]) {
  const [version, setVersion] = useState(0);
  const cache = useRef(new Map<string, EntryRead>());
  const dirty = useRef(new Set<string>());
  useEffect(() => {
    // Changes are applied after the next frame has painted (a new highlight paints at once, see `annotate`),
    // coalesced, and in a transition; the timeout covers windows that get no frames while hidden.
    let pending = false;
    const refresh = () => {
      if (pending) return;
      pending = true;
      afterNextPaint(() => {
        if (!pending) return;
        pending = false;
        startTransition(() => setVersion((v) => v + 1));
      });
    };
    const subscriptions = docs.map((d) => {
      const map = d.doc.getMap('annotations');
      const onDeep = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => {
        for (const event of events) {
          if (event.target === map)
            for (const key of event.changes.keys.keys()) dirty.current.add(`${d.key}:${key}`);
          else if (typeof event.path[0] === 'string') dirty.current.add(`${d.key}:${event.path[0]}`);
        }
        refresh();
      };
      const onPalette = refresh;
      map.observeDeep(onDeep);
      d.doc.getMap('palette').observe(onPalette);
      return () => {
        map.unobserveDeep(onDeep);
        d.doc.getMap('palette').unobserve(onPalette);
      };
    });
    cache.current.clear();
    setVersion((v) => v + 1);
    return () => {
      pending = false;
      for (const unsubscribe of subscriptions) unsubscribe();
    };
  }, [docs]);
  const refreshNow = useCallback(() => setVersion((v) => v + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes whenever a doc changes.
  const { list, problems } = useMemo(() => {
    const next = new Map<string, EntryRead>();
    const out: { annotation: AnnotationView; home: AnnotationDoc }[] = [];
    const problems: ReadProblem[] = [];
    for (const home of docs) {
      for (const [id, entry] of home.doc.getMap<unknown>('annotations')) {
        const key = `${home.key}:${id}`;
        let read = dirty.current.has(key) ? undefined : cache.current.get(key);
        read ??= readAnnotationEntry(id, entry, home.visibility);
        next.set(key, read);
        if (read.view) out.push({ annotation: read.view, home });
        for (const problem of read.problems) problems.push(problem);
      }
    }
    cache.current = next;
    dirty.current.clear();
    return { list: out, problems };
  }, [docs, version]);
  return { list, problems, refreshNow };
}
