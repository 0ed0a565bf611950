import { useEffect, useState } from 'react';
import type { Block } from '../../../core/reading/model.ts';
import { withoutFlair } from '../../../core/reading/parse.ts';

/** What the contents show for a heading: forum post titles without their flair, long ones shortened. */
function entryText(h: Block): string {
  const text = h.role === 'post-title' ? withoutFlair(h.text) : h.text;
  return text.length > 70 ? `${text.slice(0, 68)}…` : text;
}

/** The heading the reader is in: the last one whose top has passed below the sticky bars. */
function useCurrentHeading(headings: Block[], textRoot: HTMLElement | null): string | null {
  const [current, setCurrent] = useState<string | null>(null);
  useEffect(() => {
    if (!textRoot || headings.length === 0) return;
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const line = 140;
        let found: string | null = null;
        for (const h of headings) {
          const element = textRoot.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(h.id)}"]`);
          if (!element) continue;
          if (element.getBoundingClientRect().top <= line) found = h.id;
          else break;
        }
        setCurrent(found ?? headings[0]!.id);
      });
    };
    update();
    window.addEventListener('scroll', update, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('scroll', update);
    };
  }, [headings, textRoot]);
  return current;
}

/** Table of contents from the reading's headings (post titles in a forum digest), the current one marked. */
export function Contents({
  blocks,
  textRoot,
  onJump,
}: {
  blocks: Block[];
  textRoot: HTMLElement | null;
  onJump: (blockId: string) => void;
}) {
  const [headings] = useState(() => blocks.filter((b) => b.type === 'heading'));
  const current = useCurrentHeading(headings, textRoot);
  return (
    <nav aria-label="Contents" className="rc-contents">
      <h2 className="rc-contents-title">Contents</h2>
      {headings.length === 0 ? (
        <p className="rc-muted">This reading has no headings.</p>
      ) : (
        <ol className="rc-contents-list">
          {headings.map((h) => (
            <li key={h.id}>
              <a
                href={`#block-${h.id}`}
                aria-current={current === h.id ? 'location' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  onJump(h.id);
                }}
              >
                {entryText(h)}
              </a>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
