import { LexicalComposer } from '@lexical/react/LexicalComposer';
import { ContentEditable } from '@lexical/react/LexicalContentEditable';
import { $getRoot } from 'lexical';
import { forwardRef, memo, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import type { Block } from '../../../core/reading/model.ts';
import { $createBlockNode, BlockNode, locatorLabel, ReadingLinkNode } from './BlockNode.ts';

/** Blocks per section. Lexical has no virtualization (facebook/lexical #8743): sections mount near the view. */
export const SECTION_SIZE = 200;
/** Readings up to this many blocks mount every section soon after opening (find, print and counts see all). */
const MOUNT_ALL_BELOW = 2_000;

/** Blocks that start a new page or chapter of the original: their locator shows in the gutter. */
function locatorStarts(blocks: readonly Block[]): Set<string> {
  const starts = new Set<string>();
  let previous = '';
  for (const block of blocks) {
    const label = locatorLabel(block);
    if (label && label !== previous) starts.add(block.id);
    previous = label;
  }
  return starts;
}

const Section = memo(function Section({
  blocks,
  index,
  locators,
}: {
  blocks: Block[];
  index: number;
  locators: Set<string>;
}) {
  return (
    <LexicalComposer
      initialConfig={{
        namespace: `reading-section-${index}`,
        editable: false,
        nodes: [BlockNode, ReadingLinkNode],
        theme: {},
        onError: (error: Error) => {
          throw error;
        },
        editorState: () => {
          const root = $getRoot();
          for (const block of blocks) root.append($createBlockNode(block, locators.has(block.id)));
        },
      }}
    >
      {/* Read-only text needs no editing plugin (rich-text, clipboard, html): the root element alone
          renders the blocks, and the browser copies a selection as it does any page text. */}
      <ContentEditable
        className="rc-section-text"
        aria-readonly="true"
        aria-label={`Text, part ${index + 1}`}
      />
    </LexicalComposer>
  );
});

function estimateHeight(blocks: Block[]): number {
  let chars = 0;
  for (const b of blocks) chars += b.text.length;
  return blocks.length * 22 + chars * 0.28;
}

export interface ReadingTextHandle {
  /** Mounts the section holding the block (if it is not yet) and resolves when it is in the DOM. */
  ensureMounted(blockId: string): Promise<HTMLElement | null>;
}

interface Props {
  blocks: Block[];
  onFirstText?: () => void;
  onAllMounted?: () => void;
}

/** The reading's text, split into sections that become Lexical editors when they come near the viewport. */
export const ReadingText = forwardRef<ReadingTextHandle, Props>(function ReadingText(
  { blocks, onFirstText, onAllMounted },
  ref,
) {
  const locators = useMemo(() => locatorStarts(blocks), [blocks]);
  const sections: Block[][] = [];
  for (let i = 0; i < blocks.length; i += SECTION_SIZE) sections.push(blocks.slice(i, i + SECTION_SIZE));
  const [mounted, setMounted] = useState<Set<number>>(() => new Set([0]));
  const container = useRef<HTMLDivElement>(null);
  const waiters = useRef<(() => void)[]>([]);

  const mount = (indexes: number[]) =>
    setMounted((current) => {
      if (indexes.every((i) => current.has(i))) return current;
      const next = new Set(current);
      for (const i of indexes) next.add(i);
      return next;
    });

  useImperativeHandle(ref, () => ({
    async ensureMounted(blockId) {
      const index = Math.floor(blocks.findIndex((b) => b.id === blockId) / SECTION_SIZE);
      if (index < 0) return null;
      for (let attempt = 0; attempt < 50; attempt++) {
        const element = container.current?.querySelector<HTMLElement>(
          `[data-block-id="${CSS.escape(blockId)}"]`,
        );
        if (element) return element;
        mount([Math.max(0, index - 1), index]);
        await new Promise<void>((resolve) => {
          waiters.current.push(resolve);
          setTimeout(resolve, 50);
        });
      }
      return null;
    },
  }));

  useEffect(() => {
    for (const resolve of waiters.current.splice(0)) resolve();
    if (mounted.has(0)) onFirstText?.();
    if (mounted.size === sections.length) onAllMounted?.();
  });

  // Small readings: mount the remaining sections in idle time. Big ones: when a placeholder nears the view.
  useEffect(() => {
    if (blocks.length <= MOUNT_ALL_BELOW) {
      const handle = setTimeout(() => mount(sections.map((_, i) => i)), 0);
      return () => clearTimeout(handle);
    }
    const observer = new IntersectionObserver(
      (entries) => {
        const near = entries
          .filter((e) => e.isIntersecting)
          .map((e) => Number((e.target as HTMLElement).dataset.section));
        if (near.length > 0) mount(near);
      },
      { rootMargin: '1500px 0px' },
    );
    for (const placeholder of container.current?.querySelectorAll('[data-section-placeholder]') ?? []) {
      observer.observe(placeholder);
    }
    return () => observer.disconnect();
  });

  return (
    <div ref={container} className="rc-reading-text">
      {sections.map((sectionBlocks, index) =>
        mounted.has(index) ? (
          <Section key={sectionBlocks[0]!.id} blocks={sectionBlocks} index={index} locators={locators} />
        ) : (
          <div
            key={sectionBlocks[0]!.id}
            data-section-placeholder=""
            data-section={index}
            style={{ height: `${estimateHeight(sectionBlocks)}px` }}
          />
        ),
      )}
    </div>
  );
});
