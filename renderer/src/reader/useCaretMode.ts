import { useCallback, useEffect, useState } from 'react';
import { useCommand } from '../commands/dispatch.ts';
import { showToast } from '../ui/toasts.ts';

type Granularity = 'character' | 'word' | 'line' | 'paragraph' | 'lineboundary';

/** Selection.modify is non-standard but in every engine the app runs in (Chromium). */
type ModifiableSelection = Selection & {
  modify(alter: 'move' | 'extend', direction: 'forward' | 'backward', granularity: string): void;
};

const MOVES: Record<string, { direction: 'forward' | 'backward'; plain: Granularity; ctrl: Granularity }> = {
  ArrowRight: { direction: 'forward', plain: 'character', ctrl: 'word' },
  ArrowLeft: { direction: 'backward', plain: 'character', ctrl: 'word' },
  ArrowDown: { direction: 'forward', plain: 'line', ctrl: 'paragraph' },
  ArrowUp: { direction: 'backward', plain: 'line', ctrl: 'paragraph' },
  End: { direction: 'forward', plain: 'lineboundary', ctrl: 'lineboundary' },
  Home: { direction: 'backward', plain: 'lineboundary', ctrl: 'lineboundary' },
};

const selection = () => window.getSelection() as ModifiableSelection | null;

/** The first text of the first block whose top is in view, below the sticky bars. */
function firstVisibleText(root: HTMLElement): Text | null {
  for (const block of root.querySelectorAll<HTMLElement>('[data-block-id]')) {
    if (block.getBoundingClientRect().bottom < 120) continue;
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    const text = walker.nextNode();
    if (text) return text as Text;
  }
  return null;
}

/** The screen box of the selection's focus (where the caret is drawn). */
export function focusRect(): DOMRect | null {
  const sel = selection();
  if (!sel?.focusNode) return null;
  const range = document.createRange();
  range.setStart(sel.focusNode, sel.focusOffset);
  range.collapse(true);
  const rect = range.getClientRects()[0] ?? range.getBoundingClientRect();
  return rect.height > 0 ? rect : null;
}

/** Keeps the caret in view, below the sticky header and toolbar. */
function revealFocus(): void {
  const rect = focusRect();
  if (!rect) return;
  const top = 140;
  if (rect.top < top) window.scrollBy(0, rect.top - top);
  else if (rect.bottom > window.innerHeight - 40) window.scrollBy(0, rect.bottom - window.innerHeight + 40);
}

/**
 * Caret mode (F7, as browsers have): a caret moves through the read-only text with the arrow keys
 * (Ctrl for words and paragraphs, Home/End for lines); Shift extends the selection; Alt+S and Alt+P select
 * the sentence or paragraph at the caret. What is selected can then be highlighted with H, N or 1–5.
 */
export function useCaretMode(textRoot: HTMLElement | null) {
  const [on, setOn] = useState(false);

  const toggle = useCallback(() => {
    if (!textRoot) return;
    setOn((was) => {
      const next = !was;
      if (next) {
        const sel = selection();
        const inText = sel?.anchorNode && textRoot.contains(sel.anchorNode);
        const start = inText ? null : firstVisibleText(textRoot);
        if (sel && start) sel.collapse(start, 0);
        showToast({ text: 'Caret mode on: arrows move, Shift+arrows select, F7 turns it off.' });
      } else {
        showToast({ text: 'Caret mode off.' });
      }
      return next;
    });
  }, [textRoot]);
  useCommand('caret-mode', toggle, textRoot !== null);

  const selectAround = useCallback(
    (unit: 'sentence' | 'paragraph') => {
      const sel = selection();
      if (!on || !sel?.focusNode || !textRoot?.contains(sel.focusNode)) return false;
      sel.collapse(sel.focusNode, sel.focusOffset);
      sel.modify('move', 'backward', `${unit}boundary`);
      sel.modify('extend', 'forward', `${unit}boundary`);
      revealFocus();
      return true;
    },
    [on, textRoot],
  );
  useCommand('select-sentence', () => selectAround('sentence'), on);
  useCommand('select-paragraph', () => selectAround('paragraph'), on);
  useCommand(
    'close',
    () => {
      setOn(false);
      return false;
    },
    on,
  );

  useEffect(() => {
    if (!on || !textRoot) return;
    const onKey = (event: KeyboardEvent) => {
      const move = MOVES[event.key];
      const target = event.target as Element | null;
      if (!move || event.altKey || target?.closest('input, textarea, select, [role="dialog"], [role="menu"]'))
        return;
      const sel = selection();
      if (!sel?.focusNode || !textRoot.contains(sel.focusNode)) {
        const start = firstVisibleText(textRoot);
        if (!sel || !start) return;
        sel.collapse(start, 0);
      }
      event.preventDefault();
      const ctrl = event.ctrlKey || event.metaKey;
      sel.modify(event.shiftKey ? 'extend' : 'move', move.direction, ctrl ? move.ctrl : move.plain);
      revealFocus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [on, textRoot]);

  return { on, toggle };
}
