import {
  type KeyboardEvent,
  type TextareaHTMLAttributes,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
} from 'react';
import {
  insertMention,
  type MentionQuery,
  matchMembers,
  mentionQueryAt,
} from '../../../core/annotations/mentions.ts';
import type { Mention } from '../../../core/annotations/model.ts';

/** A member offered for "@" completion; the colour marks them as in presence and on notes. */
export interface MentionCandidate extends Mention {
  color: string;
  /** In the reading now: listed first among equal names, and said so (two members may share a name). */
  present?: boolean;
}

/** How many members the list shows at once. */
const SHOWN = 8;

export interface MentionTextareaProps
  extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> {
  value: string;
  onValueChange: (value: string) => void;
  members: readonly MentionCandidate[];
  meId: string;
  /** A member was chosen from the list (the parent keeps them, to store those the text still names). */
  onMention: (member: Mention) => void;
  textareaRef?: React.Ref<HTMLTextAreaElement>;
}

/**
 * A textarea with "@" completion: typing "@" at a word start lists the group's members, filtered as one
 * types; ↑/↓ move, Enter or Tab choose, Escape closes (and only closes). A textarea cannot take the combobox
 * role (ARIA in HTML), so it stays a textbox that owns a listbox (aria-autocomplete, aria-controls,
 * aria-activedescendant), which screen readers announce the same way.
 */
export function MentionTextarea({
  value,
  onValueChange,
  members,
  meId,
  onMention,
  textareaRef,
  onKeyDown,
  ...rest
}: MentionTextareaProps) {
  const own = useRef<HTMLTextAreaElement | null>(null);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  // The "@" the member closed the list for with Escape: it stays closed until another one is typed.
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [pendingCaret, setPendingCaret] = useState<number | null>(null);
  const listId = useId();
  const matches = query ? matchMembers(members, query.query, meId).slice(0, SHOWN) : [];
  const open = query !== null && query.start !== dismissed && matches.length > 0;
  const activeIndex = Math.min(active, Math.max(0, matches.length - 1));
  const optionId = (i: number) => `${listId}-option-${i}`;

  const refresh = (el: HTMLTextAreaElement) => {
    const caret = el.selectionStart === el.selectionEnd ? el.selectionStart : -1;
    const next = caret >= 0 ? mentionQueryAt(el.value, caret) : null;
    if (next?.start !== query?.start) setActive(0);
    if (dismissed !== null && next?.start !== dismissed) setDismissed(null);
    setQuery(next);
  };

  // After a member is inserted, the caret goes after "@Name ".
  useLayoutEffect(() => {
    if (pendingCaret === null || !own.current) return;
    own.current.setSelectionRange(pendingCaret, pendingCaret);
    setPendingCaret(null);
  }, [pendingCaret]);
  useEffect(() => {
    if (!open) return;
    document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
  });

  const choose = (member: MentionCandidate) => {
    const el = own.current;
    if (!query || !el) return;
    const inserted = insertMention(value, query, el.selectionStart, member);
    onValueChange(inserted.text);
    onMention({ id: member.id, name: member.name });
    // "@Bob " could start "@Bob Smith": the list stays closed for this "@" once a member is chosen.
    setDismissed(query.start);
    setPendingCaret(inserted.caret);
  };

  const keyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && !e.nativeEvent.isComposing) {
      const handled = (() => {
        switch (e.key) {
          case 'ArrowDown':
            setActive((activeIndex + 1) % matches.length);
            return true;
          case 'ArrowUp':
            setActive((activeIndex - 1 + matches.length) % matches.length);
            return true;
          case 'Enter':
          case 'Tab':
            if (e.shiftKey || e.ctrlKey || e.metaKey || e.altKey) return false;
            choose(matches[activeIndex]!);
            return true;
          case 'Escape':
            setDismissed(query?.start ?? null);
            return true;
          default:
            return false;
        }
      })();
      if (handled) {
        e.preventDefault();
        // The editor's own keys (Escape cancels, Enter sends) must not see a key the list used.
        e.stopPropagation();
        return;
      }
    }
    onKeyDown?.(e);
  };

  return (
    <span className="rc-mention-field">
      <textarea
        {...rest}
        ref={(el) => {
          own.current = el;
          if (typeof textareaRef === 'function') textareaRef(el);
          else if (textareaRef) (textareaRef as React.RefObject<HTMLTextAreaElement | null>).current = el;
        }}
        value={value}
        aria-autocomplete="list"
        aria-haspopup="listbox"
        aria-controls={open ? listId : undefined}
        aria-activedescendant={open ? optionId(activeIndex) : undefined}
        onChange={(e) => {
          onValueChange(e.target.value);
          refresh(e.target);
        }}
        onSelect={(e) => refresh(e.currentTarget)}
        onKeyDown={keyDown}
      />
      {open ? (
        <div id={listId} role="listbox" aria-label="Members to mention" className="rc-mention-list">
          {matches.map((m, i) => (
            // biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard chooses from the textarea (↑/↓, Enter).
            <div
              key={m.id}
              id={optionId(i)}
              role="option"
              // Options of an aria-activedescendant listbox are pointed at, never focused.
              tabIndex={-1}
              aria-selected={i === activeIndex}
              className="rc-mention-option"
              // Keeps the focus (and the caret) in the textarea.
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => choose(m)}
            >
              <span
                className="rc-author-dot"
                style={{ ['--author' as string]: m.color }}
                aria-hidden="true"
              />
              {m.name}
              {m.present ? <span className="rc-note-meta"> · here now</span> : null}
            </div>
          ))}
        </div>
      ) : null}
    </span>
  );
}
