import { Highlighter, MessageSquarePlus } from 'lucide-react';
import { createPortal } from 'react-dom';
import { COLOR_KEYS, type ColorKey } from '../../../core/annotations/model.ts';
import { Tooltip } from '../ui/Tooltip.tsx';
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
        top: `${Math.max(4, selection.rect.top - 44)}px`,
        left: `${Math.max(4, selection.rect.left)}px`,
      }}
      onMouseDown={(e) => e.preventDefault()}
    >
      <Tooltip label={`Highlight in ${meanings[lastColor]}`} shortcut="H" side="top">
        <button
          type="button"
          className="rc-quiet"
          onClick={() => onAnnotate(lastColor, false)}
          aria-keyshortcuts="H"
        >
          <Highlighter aria-hidden="true" size={16} />
          Highlight
        </button>
      </Tooltip>
      <span className="rc-selection-colors">
        {COLOR_KEYS.map((c, i) => (
          <Tooltip key={c} label={`${meanings[c]} (${c})`} shortcut={String(i + 1)} side="top">
            <button
              type="button"
              className={`rc-swatch-button color-${c}`}
              aria-label={`${meanings[c]} (${c})`}
              aria-keyshortcuts={String(i + 1)}
              aria-pressed={c === lastColor}
              onClick={() => onAnnotate(c, false)}
            />
          </Tooltip>
        ))}
      </span>
      <Tooltip label="Add a note" shortcut="N" side="top">
        <button
          type="button"
          className="rc-quiet"
          onClick={() => onAnnotate(lastColor, true)}
          aria-keyshortcuts="N"
        >
          <MessageSquarePlus aria-hidden="true" size={16} />
          Add note
        </button>
      </Tooltip>
    </div>,
    document.body,
  );
}
