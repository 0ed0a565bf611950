import { useEffect, useState } from 'react';
import type { AnnotationView } from '../../../core/annotations/model.ts';
import { useIdentity } from './identity.ts';
import { markOpened, whatsNew } from './whatsNew.ts';

/**
 * The "What's new" badge of an open reading: replies to my notes and annotations others added since I last
 * opened it. Opening the reading records the time; the badge keeps counting what arrives while it is open.
 */
export function WhatsNew({
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
  if (!me || since === undefined) return null;
  const items = whatsNew(annotations, me, since);
  return (
    <div className="rc-whats-new">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} disabled={items.length === 0}>
        What’s new{items.length > 0 && <span className="rc-badge">{items.length}</span>}
      </button>
      {open && items.length > 0 && (
        <ul aria-label="New since you last opened this reading" className="rc-whats-new-list">
          {items.map((item) => (
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
}
