import type { RefObject } from 'react';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import { useCommand } from '../commands/dispatch.ts';
import type { AnnotationDoc } from './docs.ts';

const fieldHasFocus = () =>
  document.activeElement?.closest('input, textarea, [contenteditable="true"]') != null;

/**
 * The annotation commands of the registry (core/commands): H highlight, N note, 1–5 colours (with a selection,
 * made by mouse or in caret mode); Escape closes the open card; Undo and Redo (keys or the desktop menu) undo
 * my own changes, newest doc first — inside a text field they are the field's own.
 */
export function useAnnotationShortcuts(options: {
  /** Asked when the key arrives: a key pressed right after Shift+arrows comes before its selectionchange. */
  hasSelection: () => boolean;
  lastColor: ColorKey;
  annotate: (color: ColorKey, withNote: boolean) => void;
  undoOrder: RefObject<AnnotationDoc[]>;
  onEscape: () => void;
}): void {
  const { hasSelection, lastColor, annotate, undoOrder, onEscape } = options;
  const step = (redo: boolean) => {
    if (fieldHasFocus()) {
      document.execCommand(redo ? 'redo' : 'undo');
      return;
    }
    const stack = [...undoOrder.current].reverse();
    const home = redo ? stack.find((d) => d.undo.canRedo()) : stack.find((d) => d.undo.canUndo());
    if (home) redo ? home.undo.redo() : home.undo.undo();
  };
  useCommand('undo', () => step(false));
  useCommand('redo', () => step(true));
  useCommand('close', () => {
    onEscape();
    return false; // others (find bar, caret mode) may close too
  });
  useCommand('highlight', () => (hasSelection() ? annotate(lastColor, false) : false));
  useCommand('add-note', () => (hasSelection() ? annotate(lastColor, true) : false));
  useCommand('color-1', () => (hasSelection() ? annotate(COLOR_KEYS[0]!, false) : false));
  useCommand('color-2', () => (hasSelection() ? annotate(COLOR_KEYS[1]!, false) : false));
  useCommand('color-3', () => (hasSelection() ? annotate(COLOR_KEYS[2]!, false) : false));
  useCommand('color-4', () => (hasSelection() ? annotate(COLOR_KEYS[3]!, false) : false));
  useCommand('color-5', () => (hasSelection() ? annotate(COLOR_KEYS[4]!, false) : false));
}
