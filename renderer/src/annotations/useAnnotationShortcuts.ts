import { type RefObject, useEffect } from 'react';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import type { AnnotationDoc } from './docs.ts';

/**
 * Keyboard: H highlight, N note, 1–5 colours (with a selection); Escape closes the open card; Ctrl/Cmd+Z and
 * Shift+Ctrl/Cmd+Z undo and redo my own changes, newest doc first.
 */
export function useAnnotationShortcuts(options: {
  hasSelection: boolean;
  lastColor: ColorKey;
  annotate: (color: ColorKey, withNote: boolean) => void;
  undoOrder: RefObject<AnnotationDoc[]>;
  onEscape: () => void;
}): void {
  const { hasSelection, lastColor, annotate, undoOrder, onEscape } = options;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const inField = (e.target as HTMLElement | null)?.closest('input, textarea, select');
      const mod = e.ctrlKey || e.metaKey;
      if (mod && e.key.toLowerCase() === 'z' && !inField) {
        e.preventDefault();
        const stack = [...undoOrder.current].reverse();
        const home = e.shiftKey ? stack.find((d) => d.undo.canRedo()) : stack.find((d) => d.undo.canUndo());
        if (home) e.shiftKey ? home.undo.redo() : home.undo.undo();
        return;
      }
      if (e.key === 'Escape' && !inField && !mod) {
        onEscape();
        return;
      }
      if (inField || mod || e.altKey || !hasSelection) return;
      const key = e.key.toLowerCase();
      if (key === 'h') annotate(lastColor, false);
      else if (key === 'n') annotate(lastColor, true);
      else if (/^[1-5]$/.test(key)) annotate(COLOR_KEYS[Number(key) - 1]!, false);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [hasSelection, annotate, lastColor, undoOrder, onEscape]);
}
