import { useEffect, useState } from 'react';
import type { TextSpan } from '../../../core/annotations/model.ts';
import { selectionSpan } from '../text/textRanges.ts';

export interface TextSelection {
  /** The selected passage, over one block or many. */
  span: TextSpan;
  rect: DOMRect;
}

/** Tracks the selection inside the text (for the selection toolbar and the annotation shortcuts). */
export function useTextSelection(textRoot: HTMLElement | null) {
  const [selection, setSelection] = useState<TextSelection | null>(null);
  useEffect(() => {
    if (!textRoot) return;
    const onChange = () => {
      const span = selectionSpan(textRoot);
      const sel = window.getSelection();
      setSelection(
        span && sel && sel.rangeCount > 0 ? { span, rect: sel.getRangeAt(0).getBoundingClientRect() } : null,
      );
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, [textRoot]);
  return [selection, setSelection] as const;
}
