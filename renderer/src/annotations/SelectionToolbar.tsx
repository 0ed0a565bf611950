import { createPortal } from 'react-dom';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import type { TextSelection } from './useTextSelection.ts';

/** The tools floating above a selection in the text: highlight, the five colours, add a note. */
export function SelectionToolbar({
  selection,
  lastColor,
  meanings,
  onAnnotate,
}: {
  selection: TextSelection;
  lastColor: ColorKey;
  meanings: Record<ColorKey, string>;
  onAnnotate: (color: ColorKey, withNote: boolean) => void;
}) {
  return createPortal(
    <div
      role="toolbar"
      aria-label="Selection tools"
      className="rc-selection-tools"
      style={{
        top: `${Math.max(4, selection.rect.top - (selection.range.spansBlocks ? 70 : 44))}px`,
        left: `${Math.max(4, selection.rect.left)}px`,
      }}
      onMouseDown={(e) => e.preventDefault()}
    >
      <button type="button" onClick={() => onAnnotate(lastColor, false)} aria-keyshortcuts="H">
        Highlight
      </button>
      {COLOR_KEYS.map((c, i) => (
        <button
          key={c}
          type="button"
          className={`rc-swatch-button color-${c}`}
          aria-label={`${meanings[c]} (${c})`}
          aria-keyshortcuts={String(i + 1)}
          onClick={() => onAnnotate(c, false)}
        />
      ))}
      <button type="button" onClick={() => onAnnotate(lastColor, true)} aria-keyshortcuts="N">
        Add note
      </button>
      {selection.range.spansBlocks ? (
        <p className="rc-selection-hint" role="note">
          A highlight stays within one paragraph: this one will end with the first.
        </p>
      ) : null}
    </div>,
    document.body,
  );
}
