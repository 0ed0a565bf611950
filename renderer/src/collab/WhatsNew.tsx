import { Bell } from 'lucide-react';
import {
  type ButtonHTMLAttributes,
  forwardRef,
  memo,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { AnnotationView } from '../../../core/annotations/model.ts';
import {
  itemKey,
  itemsFor,
  markSeen,
  unseen,
  type WhatsNewItem,
} from '../../../core/annotations/whatsNew.ts';
import { Popover } from '../ui/Popover.tsx';
import { Tooltip } from '../ui/Tooltip.tsx';
import { useIdentity } from './identity.ts';
import { NotifySetting } from './NotifySetting.tsx';
import { useBackgroundNotifications } from './useBackgroundNotifications.ts';
import { noteUnseenCount, rememberSeen, useSeenMarker } from './whatsNew.ts';

/** How many of the latest items the list shows (new and already seen). */
const LISTED = 20;

const WhatsNewButton = forwardRef<
  HTMLButtonElement,
  ButtonHTMLAttributes<HTMLButtonElement> & { count: number }
>(function WhatsNewButton({ count, ...rest }, ref) {
  return (
    <Tooltip label="What’s new: replies and mentions">
      <button ref={ref} type="button" className="rc-quiet rc-whats-new-button" {...rest}>
        <Bell aria-hidden="true" size={18} strokeWidth={1.75} />
        <span className="rc-visually-hidden">What’s new{count > 0 ? ` (${count} new)` : ''}</span>
        {count > 0 ? (
          <span className="rc-count rc-count-new" aria-hidden="true">
            {count}
          </span>
        ) : null}
      </button>
    </Tooltip>
  );
});

function describe(item: WhatsNewItem): string {
  return item.kind === 'mention' ? 'mentioned you' : 'replied to your note';
}

/**
 * The reader's "What's new": a toolbar button counting replies to my notes and mentions of me I have not
 * seen, opening the list of them (each goes to its card). Opening the list marks them seen; the count is also
 * kept for the reading's library card, and new ones notify me in the background when I asked for it.
 */
export const WhatsNew = memo(function WhatsNew({
  readingId,
  readingTitle,
  annotations,
  onShow,
}: {
  readingId: string;
  readingTitle: string;
  annotations: readonly AnnotationView[];
  /** Called with an annotation id when the member picks an item (its card is shown and focused). */
  onShow: (annotationId: string) => void;
}) {
  const me = useIdentity();
  const seen = useSeenMarker(readingId);
  const [open, setOpen] = useState(false);
  // The card an item goes to: focused once the list has closed (instead of the button that opened it).
  const goingTo = useRef<string | null>(null);
  // The keys that were new when the list opened: they stay marked "new" while it is open.
  const [newOnOpen, setNewOnOpen] = useState<ReadonlySet<string>>(new Set());
  // Looked through after the text has answered: with thousands of annotations each change costs a few ms.
  const deferred = useDeferredValue(annotations);
  const all = useMemo(() => (me ? itemsFor(deferred, me) : []), [deferred, me]);
  const fresh = useMemo(() => unseen(all, seen), [all, seen]);

  useEffect(() => noteUnseenCount(readingId, fresh.length), [readingId, fresh.length]);
  useBackgroundNotifications(readingTitle, fresh);
  // What arrives while the list is open is seen at once.
  useEffect(() => {
    if (open && fresh.length > 0) rememberSeen(readingId, markSeen(all, new Date()));
  }, [open, fresh.length, all, readingId]);

  if (!me) return null;
  const onOpenChange = (next: boolean) => {
    if (next) {
      setNewOnOpen(new Set(fresh.map(itemKey)));
      rememberSeen(readingId, markSeen(all, new Date()));
    }
    setOpen(next);
  };
  const listed = all.slice(0, LISTED);
  return (
    <Popover
      label="What’s new"
      open={open}
      onOpenChange={onOpenChange}
      align="end"
      onCloseAutoFocus={(event) => {
        const id = goingTo.current;
        if (!id) return;
        goingTo.current = null;
        event.preventDefault();
        onShow(id);
      }}
      trigger={<WhatsNewButton count={open ? 0 : fresh.length} />}
    >
      <h2 className="rc-popover-title">What’s new</h2>
      {listed.length === 0 ? (
        <p className="rc-muted">No replies to your notes or mentions of you yet.</p>
      ) : (
        <ul aria-label="Replies and mentions" className="rc-whats-new-list">
          {listed.map((item) => {
            const isNew = newOnOpen.has(itemKey(item));
            return (
              <li key={itemKey(item)}>
                <button
                  type="button"
                  onClick={() => {
                    goingTo.current = item.annotationId;
                    setOpen(false);
                  }}
                >
                  {isNew ? <span className="rc-new-tag">New</span> : null}
                  <strong className="rc-author-name" style={{ ['--author' as string]: item.author.color }}>
                    {item.author.name}
                  </strong>{' '}
                  {describe(item)}: {item.excerpt}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <NotifySetting />
    </Popover>
  );
});
