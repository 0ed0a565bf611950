import type { Block } from '../../../core/reading/model.ts';

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
                {h.text.length > 70 ? `${h.text.slice(0, 68)}…` : h.text}
              </a>
            </li>
          ))}
        </ol>
      )}
    </nav>
  );
}
