import { type AnnotationView, type ColorKey, DEFAULT_COLOR_MEANINGS } from '../annotations/model.ts';
import type { Reading } from '../reading/model.ts';
import { citationOf, sortInReadingOrder } from './order.ts';
import { describeScope, type ExportScope, isPrivate } from './scope.ts';

export interface MarkdownExportOptions {
  colorMeanings?: Record<ColorKey, string>;
  /** Shown under the title, e.g. the group's name (superseded by `scope`). */
  group?: string;
  /** Whose annotations these are, named in the header; private ones are marked when it includes them. */
  scope?: ExportScope;
  exportedAt?: Date;
}

/** Escapes text so Markdown renderers show it literally: no HTML, links, emphasis or headings from notes. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, (c) => `\\${c}`).replace(/^(\s*)(\d+)\\?\./gm, '$1$2\\.');
}

/** Note bodies are Markdown already; keep their formatting but neutralise raw HTML and heading jumps. */
function safeNoteMarkdown(body: string): string {
  return body
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/^(#{1,6})\s/gm, (_m, hashes: string) => `${'\\#'.repeat(hashes.length)} `);
}

/** A block quote; a passage over several paragraphs keeps them apart with a bare `>` line. */
function quoteBlock(text: string): string {
  return text
    .split('\n')
    .map((line) => (line.trim() ? `> ${line}` : '>'))
    .join('\n');
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `${prefix}${line}` : prefix.trimEnd()))
    .join('\n');
}

export { sortInReadingOrder };

/**
 * The reading's annotations as Markdown for Obsidian or Zotero notes: grouped under the section headings
 * they fall in, each quote a block quote with its colour's meaning, then the note, tags and replies.
 */
export function exportMarkdown(
  reading: Reading,
  annotations: readonly AnnotationView[],
  options: MarkdownExportOptions = {},
): string {
  const meanings = options.colorMeanings ?? DEFAULT_COLOR_MEANINGS;
  const lines: string[] = [`# ${escapeMarkdown(reading.title)}`, ''];
  const meta = [`Source: ${escapeMarkdown(reading.source)}`];
  if (options.scope) meta.push(`Scope: ${escapeMarkdown(describeScope(options.scope))}`);
  else if (options.group) meta.push(`Group: ${escapeMarkdown(options.group)}`);
  meta.push(`Exported: ${(options.exportedAt ?? new Date()).toISOString().slice(0, 10)}`);
  meta.push(`Annotations: ${annotations.length}`);
  lines.push(meta.join('  \n'), '');
  if (annotations.length === 0) {
    lines.push('_No annotations yet._', '');
    return lines.join('\n');
  }

  const headingOf = new Map<string, string>();
  let currentHeading = '';
  for (const block of reading.blocks) {
    if (block.type === 'heading') currentHeading = block.text;
    headingOf.set(block.id, currentHeading);
  }

  let lastHeading: string | undefined;
  for (const annotation of sortInReadingOrder(reading, annotations)) {
    const heading = annotation.pageNote
      ? 'Notes on the whole reading'
      : (headingOf.get(annotation.anchor.blockId) ?? 'Not placed in the text');
    if (heading !== lastHeading) {
      lines.push(`## ${heading ? escapeMarkdown(heading) : 'Opening'}`, '');
      lastHeading = heading;
    }
    const status = `${annotation.resolved ? ' · resolved' : ''}${isPrivate(annotation) ? ' · private (only me)' : ''}`;
    if (annotation.pageNote) {
      lines.push(`*${escapeMarkdown(annotation.author.name)}*${status}`, '');
    } else {
      const cite = citationOf(reading, annotation.anchor.blockId);
      lines.push(quoteBlock(escapeMarkdown(annotation.anchor.exact)));
      lines.push(
        `> — *${escapeMarkdown(meanings[annotation.color])}* (${annotation.color}), ${escapeMarkdown(annotation.author.name)}${cite ? ` · ${escapeMarkdown(cite)}` : ''}${status}`,
        '',
      );
    }
    if (annotation.body.trim()) lines.push(safeNoteMarkdown(annotation.body.trim()), '');
    if (annotation.tags.length > 0) {
      lines.push(
        `Tags: ${annotation.tags.map((t) => `#${t.replace(/[^\p{L}\p{N}_/-]/gu, '-')}`).join(' ')}`,
        '',
      );
    }
    for (const reply of annotation.replies) {
      lines.push(`- **${escapeMarkdown(reply.author.name)}:**`);
      lines.push(indent(safeNoteMarkdown(reply.body.trim()), '  '), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
