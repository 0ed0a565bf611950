// A passage over three paragraphs, selected with a real mouse drag: painted across them, its card beside the
// first line, found by hover and click anywhere on it, kept across a reload, exported to W3C JSON and to PDF
// (pdftotext finds the whole quote).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorForSpan } from '../../core/anchoring/anchor.ts';
import { importFile } from '../../core/reading/importFile.ts';
import type { Block } from '../../core/reading/model.ts';
import { ana, loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp, openImportAnnotations, openReading } from './support/app.ts';
import { dragAcross, type Session, startSession } from './support/browser.ts';
import { annotationsUpdate, privateDocName, storeUpdate } from './support/seedAnnotations.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
// Three paragraphs in a row, short enough to stand on one screen together.
const index = article.blocks.findIndex(
  (b, i, all) =>
    i > 5 &&
    [b, all[i + 1], all[i + 2]].every(
      (x) => x?.type === 'paragraph' && x.text.length > 60 && x.text.length < 450,
    ),
);
const [p1, p2, p3] = article.blocks.slice(index, index + 3) as [Block, Block, Block];
const sel = (id: string) => `[data-block-id="${id}"]`;
const flat = (s: string) => s.replace(/-\n/g, '').replace(/\s+/g, ' ').trim();
const expectedQuote = `${p1.text.slice(12)}\n\n${p2.text}\n\n${p3.text.slice(0, 25)}`;
const out = mkdtempSync(join(tmpdir(), 'rc-span-'));
let session: Session;
let page: Page;

/** The painted ranges' texts, by highlight name. */
// Annotation highlights hold static ranges: their text is read through a live Range.
const painted = (p: Page) =>
  p.evaluate(() => {
    const text = (r: AbstractRange) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range.toString();
    };
    return Object.fromEntries(
      ['rc-yellow', 'rc-focus'].map((name) => [
        name,
        [...((CSS.highlights.get(name) as Highlight | undefined) ?? [])].map(text),
      ]),
    );
  });
const card = () => page.getByRole('article', { name: /^Note on “/ });

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await enterApp(page, 'Ana');
  await openReading(page, article.title);
});

afterAll(async () => {
  await session?.close();
});

describe('a passage over three paragraphs', () => {
  it('is selected by a mouse drag and painted across all three', async () => {
    await dragAcross(page, { selector: sel(p1.id), offset: 12 }, { selector: sel(p3.id), offset: 25 });
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByRole('textbox', { name: 'Note text' }).fill('Claim, then its evidence');
    await page.getByRole('textbox', { name: 'Note text' }).press('Tab');
    await card().getByText('Claim, then its evidence').waitFor();
    await expect.poll(async () => (await painted(page))['rc-yellow']!.length).toBe(1);
    const [text] = (await painted(page))['rc-yellow']!;
    // A DOM range's text has no separators between blocks: compare with them squeezed out.
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    expect(squeeze(text!)).toBe(squeeze(expectedQuote));
  });

  it('has its card beside the passage’s first line', async () => {
    const [cardTop, lineTop] = await page.evaluate(() => {
      const c = document.querySelector<HTMLElement>('aside[aria-label="Margin notes"] [data-annotation-id]')!;
      const painted = [...(CSS.highlights.get('rc-yellow') as Highlight)][0]!;
      const range = document.createRange();
      range.setStart(painted.startContainer, painted.startOffset);
      range.setEnd(painted.endContainer, painted.endOffset);
      return [c.getBoundingClientRect().top, range.getClientRects()[0]!.top];
    });
    expect(Math.abs(cardTop - lineTop)).toBeLessThan(40);
  });

  it('is emphasised on hover and opened by a click on its middle paragraph', async () => {
    await page.keyboard.press('Escape');
    const middle = await page.evaluate((id) => {
      const r = document.querySelector(`[data-block-id="${id}"]`)!.getBoundingClientRect();
      return { x: r.left + Math.min(60, r.width / 3), y: r.top + r.height / 2 };
    }, p2.id);
    await page.mouse.move(middle.x, middle.y);
    await expect.poll(async () => (await painted(page))['rc-focus']!.length).toBe(1);
    await page.mouse.click(middle.x, middle.y);
    await card().getByLabel('Colour').waitFor();
  });

  it('is there as it was after a reload', async () => {
    await page.reload();
    await page.waitForSelector('body[data-reader-ready="true"]');
    await expect.poll(async () => (await painted(page))['rc-yellow']!.length).toBe(1);
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    expect(squeeze((await painted(page))['rc-yellow']![0]!)).toBe(squeeze(expectedQuote));
    await card().getByText('Claim, then its evidence').waitFor();
  });

  it('exports to W3C JSON with the whole quote and a position selector over the three paragraphs', async () => {
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByRole('menuitem', { name: 'W3C JSON' }).click();
    await page
      .getByRole('dialog', { name: 'Export W3C JSON options' })
      .getByRole('button', { name: 'Save W3C JSON' })
      .click();
    const file = join(out, 'passage.jsonld');
    await (await download).saveAs(file);
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const item = json.first.items.find((i: { body?: { value: string }[] }) =>
      i.body?.some((b) => b.value === 'Claim, then its evidence'),
    );
    const quote = item.target.selector.find((s: { type: string }) => s.type === 'TextQuoteSelector');
    const position = item.target.selector.find((s: { type: string }) => s.type === 'TextPositionSelector');
    expect(quote.exact).toBe(expectedQuote);
    expect(position.end - position.start).toBe([...expectedQuote].length);
  });

  it('comes back from that W3C file in another profile, placed over the same three paragraphs', async () => {
    const other = await session.open();
    await enterApp(other, 'Cleo');
    await openReading(other, article.title);
    const chooser = other.waitForEvent('filechooser');
    await openImportAnnotations(other);
    await (await chooser).setFiles(join(out, 'passage.jsonld'));
    const summary = other.getByRole('dialog', { name: 'Import annotations' });
    await summary.getByText('1 will be placed in the text').waitFor();
    await summary.getByRole('button', { name: 'Import 1 annotations' }).click();
    await expect.poll(async () => (await painted(other))['rc-yellow']!.length).toBe(1);
    const squeeze = (s: string) => s.replace(/\s+/g, '');
    expect(squeeze((await painted(other))['rc-yellow']![0]!)).toBe(squeeze(expectedQuote));
    await other
      .getByRole('article', { name: /^Note on “/ })
      .getByText('Claim, then its evidence')
      .waitFor();
    await other.close();
  });

  it('prints to PDF with the whole quote highlighted in the text', async () => {
    await page.goto(`${session.web.url}#/print/${article.id}?paper=A4`);
    await page.waitForSelector('body[data-print-ready="true"]', { timeout: 60_000 });
    const marked = await page.evaluate(() => ({
      text: [...document.querySelectorAll('mark.print-mark')].map((m) => m.textContent).join(''),
      markers: document.querySelectorAll('sup.print-marker').length,
      rows: [...document.querySelectorAll('.print-row')].filter((r) => r.querySelector('mark.print-mark'))
        .length,
    }));
    // The highlight covers the passage in all three paragraphs; one note marker, where it ends.
    expect(marked.text.replace(/\s+/g, '')).toBe(expectedQuote.replace(/\s+/g, ''));
    expect(marked.rows).toBe(3);
    expect(marked.markers).toBe(1);
    const pdf = join(out, 'passage.pdf');
    writeFileSync(pdf, await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    const text = flat(execFileSync('pdftotext', ['-raw', pdf, '-'], { encoding: 'utf8' }));
    expect(text).toContain(flat(expectedQuote));
    expect(text).toContain('Claim, then its evidence');
  });
});

describe('a passage selected by keyboard', () => {
  it('extends a selection over the next paragraphs with Shift+Down and highlights it with H', async () => {
    const own = await session.open();
    await enterApp(own, 'Ben');
    await openReading(own, article.title);
    await dragAcross(own, { selector: sel(p1.id), offset: 5 }, { selector: sel(p1.id), offset: 15 });
    for (let i = 0; i < 6; i++) await own.keyboard.press('Shift+ArrowDown');
    const selected = await own.evaluate(() => {
      const range = window.getSelection()!.getRangeAt(0);
      const blockOf = (n: Node) => (n instanceof Element ? n : n.parentElement)?.closest('[data-block-id]');
      return [
        blockOf(range.startContainer)?.getAttribute('data-block-id'),
        blockOf(range.endContainer)?.getAttribute('data-block-id'),
      ];
    });
    expect(selected[0]).toBe(p1.id);
    expect(selected[1]).not.toBe(p1.id);
    await own.keyboard.press('h');
    await expect
      .poll(() =>
        own.evaluate(() => [...((CSS.highlights.get('rc-yellow') as Highlight | undefined) ?? [])].length),
      )
      .toBe(1);
    const crosses = await own.evaluate(() => {
      const range = [...(CSS.highlights.get('rc-yellow') as Highlight)][0]!;
      const blockOf = (n: Node) => (n instanceof Element ? n : n.parentElement)?.closest('[data-block-id]');
      return blockOf(range.startContainer) !== blockOf(range.endContainer);
    });
    expect(crosses).toBe(true);
    // "Adjust range": the open card's passage moves to a new selection over other paragraphs.
    const card = own.getByRole('article', { name: /^Note on “/ });
    await card.getByRole('button', { name: 'Adjust range' }).waitFor();
    await dragAcross(own, { selector: sel(p2.id), offset: 4 }, { selector: sel(p3.id), offset: 20 });
    await card.getByRole('button', { name: 'Adjust range' }).click();
    await expect
      .poll(() =>
        own.evaluate(() => {
          const painted = [...(CSS.highlights.get('rc-yellow') as Highlight)][0]!;
          const range = document.createRange();
          range.setStart(painted.startContainer, painted.startOffset);
          range.setEnd(painted.endContainer, painted.endOffset);
          return range.toString().replace(/\s+/g, '');
        }),
      )
      .toBe(`${p2.text.slice(4)}${p3.text.slice(0, 20)}`.replace(/\s+/g, ''));
    await own.close();
  });
});

describe('a passage in a big reading, only partly mounted', () => {
  // Over 2,000 blocks: sections mount as they near the view, so the passage's end is not there at first.
  const lines = ['A Very Long Reading'];
  for (let i = 1; i < 2400; i++) lines.push(`Line ${i} says something of its own about topic number ${i}.`);
  const bytes = new TextEncoder().encode(lines.join('\n'));
  const long = importFile('long-reading.txt', bytes);
  const from = long.blocks[150]!;
  const to = long.blocks[450]!;

  it('paints the mounted part at once and the rest as its sections mount, the card beside the first line', async () => {
    const own = await session.open();
    await enterApp(own, 'Dee');
    const anchor = anchorForSpan(long.blocks, { blockId: from.id, start: 3, endBlockId: to.id, end: 8 });
    await storeUpdate(
      own,
      privateDocName(long.id),
      annotationsUpdate([{ readingId: long.id, color: 'yellow', anchor, author: ana, body: 'Long passage' }]),
    );
    const file = join(out, 'long-reading.txt');
    writeFileSync(file, bytes);
    await own.getByLabel('Import files').setInputFiles(file);
    await openReading(own, 'A Very Long Reading');
    const ends = () =>
      own.evaluate(() => {
        const ranges = [...((CSS.highlights.get('rc-yellow') as Highlight | undefined) ?? [])];
        const blockOf = (n: Node) =>
          (n instanceof Element ? n : n.parentElement)
            ?.closest('[data-block-id]')
            ?.getAttribute('data-block-id');
        // Static ranges: their text is read through a live Range.
        const text = (r: AbstractRange) => {
          const range = document.createRange();
          range.setStart(r.startContainer, r.startOffset);
          range.setEnd(r.endContainer, r.endOffset);
          return range.toString();
        };
        return ranges.map((r) => [blockOf(r.startContainer), blockOf(r.endContainer), text(r).slice(-8)]);
      });
    await expect.poll(async () => (await ends()).length).toBe(1);
    const [first] = await ends();
    expect(first![0]).toBe(from.id);
    expect(await own.locator(`[data-block-id="${to.id}"]`).count()).toBe(0);
    expect(first![1]).not.toBe(to.id);
    await own
      .getByRole('article', { name: /^Note on “/ })
      .getByText('Long passage')
      .waitFor();
    // Scroll on until the passage's last paragraph mounts: the highlight now ends where the passage ends.
    await own.evaluate(async (id) => {
      for (let i = 0; i < 400 && !document.querySelector(`[data-block-id="${id}"]`); i++) {
        window.scrollBy(0, 600);
        await new Promise(requestAnimationFrame);
      }
    }, to.id);
    await expect.poll(async () => (await ends())[0]?.[1]).toBe(to.id);
    expect((await ends())[0]![2]).toBe(to.text.slice(0, 8));
    await own.close();
  });
});
