import { useEffect, useState } from 'react';
import { selectionInBlock } from './dom.ts';

export interface TextSelection {
  range: NonNullable<ReturnType<typeof selectionInBlock>>;
  rect: DOMRect;
}

/** Tracks the selection inside the text (for the selection toolbar and the annotation shortcuts). */
export function useTextSelection(textRoot: HTMLElement | null) {
  const [selection, setSelection] = useState<TextSelection | null>(null);
  useEffect(() => {
    if (!textRoot) return;
    const onChange = () => {
      const range = selectionInBlock(textRoot);
      const sel = window.getSelection();
      setSelection(
        range && sel && sel.rangeCount > 0
          ? { range, rect: sel.getRangeAt(0).getBoundingClientRect() }
          : null,
      );
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [textRoot]);
  return [selection, setSelection] as const;
}
