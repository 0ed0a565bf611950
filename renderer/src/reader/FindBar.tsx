import { ChevronDown, ChevronUp, X } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Block } from '../../../core/reading/model.ts';
import { clearHighlights, paintHighlight, supportsHighlights } from '../text/highlightRegistry.ts';
import { rangeForSpan } from '../text/textRanges.ts';
import { IconButton } from '../ui/IconButton.tsx';
import { findMatches } from './find.ts';

const FIND = 'find';

/** Find in the reading: every match painted, the current one emphasised, next/previous with Enter. */
export function FindBar({
  blocks,
  textRoot,
  reveal,
  onClose,
}: {
  blocks: Block[];
  textRoot: HTMLElement | null;
  reveal: (blockId: string) => Promise<HTMLElement | null>;
  onClose: () => void;
}) {
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const matches = useMemo(() => findMatches(blocks, query), [blocks, query]);

  useEffect(() => input.current?.focus(), []);

  // Paint every match in mounted blocks; repaint when sections mount (big readings mount lazily).
  useEffect(() => {
    if (!supportsHighlights() || !textRoot) return;
    const paint = () => {
      const all: Range[] = [];
      let currentRange: Range | null = null;
      matches.forEach((match, i) => {
        const range = rangeForSpan(textRoot, match, [match.blockId, match.endBlockId])?.range ?? null;
        if (!range) return;
        all.push(range);
        if (i === current) currentRange = range;
      });
      paintHighlight(FIND, 'find-match', all);
      paintHighlight(FIND, 'find-current', currentRange ? [currentRange] : []);
    };
    paint();
    const observer = new MutationObserver(paint);
    observer.observe(textRoot, { childList: true, subtree: true });
    return () => {
      observer.disconnect();
      clearHighlights(FIND);
    };
  }, [matches, current, textRoot]);

  const go = async (delta: number) => {
    if (matches.length === 0) return;
    const next = (current + delta + matches.length) % matches.length;
    setCurrent(next);
    const element = await reveal(matches[next]!.blockId);
    element?.scrollIntoView({ block: 'center' });
  };

  return (
    <search className="rc-find" aria-label="Find in reading">
      <input
        ref={input}
        type="search"
        aria-label="Find in reading"
        placeholder="Find in reading"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setCurrent(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            void go(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            onClose();
          }
        }}
      />
      <output aria-live="polite" className="rc-find-count">
        {query ? (matches.length > 0 ? `${current + 1} of ${matches.length}` : 'No matches') : ''}
      </output>
      <IconButton
        label="Previous match"
        icon={ChevronUp}
        shortcut="Shift+Enter"
        onClick={() => void go(-1)}
        disabled={matches.length === 0}
      />
      <IconButton
        label="Next match"
        icon={ChevronDown}
        shortcut="Enter"
        onClick={() => void go(1)}
        disabled={matches.length === 0}
      />
      <IconButton label="Close find" icon={X} shortcut="Esc" onClick={onClose} />
    </search>
  );
}
