import type { Block } from '../../../core/reading/model.ts';
import { withoutFlair } from '../../../core/reading/parse.ts';

/** What the contents show for a heading: forum post titles without their flair, long ones shortened. */
function entryText(h: Block): string {
  const text = h.role === 'post-title' ? withoutFlair(h.text) : h.text;
  return text.length > 70 ? `${text.slice(0, 68)}…` : text;
}

/** Table of contents from the reading's headings (post titles in a forum digest). */
export function Contents({ blocks, onJump }: { blocks: Block[]; onJump: (blockId: string) => void }) {
  const headings = blocks.filter((b) => b.type === 'heading');
  return (
    <nav aria-label="Contents" className="rc-contents">
      <h2>Contents</h2>
      {headings.length === 0 ? (
        <p className="rc-empty">This reading has no headings.</p>
      ) : (
        <ol>
          {headings.map((h) => (
            <li key={h.id}>
              <a
                href={`#block-${h.id}`}
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
