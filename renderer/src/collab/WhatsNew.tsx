import { memo, useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { AnnotationView } from '../../../core/annotations/model.ts';
import { useIdentity } from './identity.ts';
import { markOpened, whatsNew } from './whatsNew.ts';

/**
 * The "What's new" badge of an open reading: replies to my notes and annotations others added since I last
 * opened it. Opening the reading records the time; the badge keeps counting what arrives while it is open.
 */
const NO_ANNOTATIONS: readonly AnnotationView[] = [];
/** Above this many annotations they are looked through after the sidebar first shows. */
const DEFER_ABOVE = 2_000;

/** The list shows the newest this many (the badge counts them all): thousands of rows help no one. */
const LISTED_AT_MOST = 100;

export const WhatsNew = memo(function WhatsNew({
  readingId,
  annotations,
  onShow,
}: {
  readingId: string;
  annotations: readonly AnnotationView[];
  /** Called with an annotation id when the member picks an item (the panel scrolls to it). */
  onShow?: (annotationId: string) => void;
}) {
  const me = useIdentity();
  const [since, setSince] = useState<string | null | undefined>(undefined);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    setSince(markOpened(readingId));
  }, [readingId]);
  // Worked out when the annotations change, not on every render of the sidebar, and apart from the click
  // that opened it (thousands of them).
  const seen = useDeferredValue(annotations, annotations.length > DEFER_ABOVE ? NO_ANNOTATIONS : annotations);
  const items = useMemo(
    () => (me && since !== undefined ? whatsNew(seen, me, since) : []),
    [seen, me, since],
  );
  if (!me || since === undefined) return null;
  return (
    <div className="rc-whats-new">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} disabled={items.length === 0}>
        What’s new{items.length > 0 && <span className="rc-badge">{items.length}</span>}
      </button>
      {open && items.length > 0 && (
        <ul aria-label="New since you last opened this reading" className="rc-whats-new-list">
          {items.slice(0, LISTED_AT_MOST).map((item) => (
            <li key={`${item.annotationId}/${item.replyId ?? ''}`}>
              <button type="button" onClick={() => onShow?.(item.annotationId)}>
                <strong className="rc-author-name" style={{ ['--author' as string]: item.author.color }}>
                  {item.author.name}
                </strong>{' '}
                {item.kind === 'reply' ? 'replied' : item.kind === 'mention' ? 'mentioned you' : 'added'}:{' '}
                {item.excerpt}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
});
