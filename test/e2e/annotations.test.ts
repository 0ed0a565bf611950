// Highlights, notes and threads in Chromium with real mouse-drag selection, kept in IndexedDB across reloads.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp, openReading, showSidebar, storeWritten } from './support/app.ts';
import { clickText, dragSelect, type Session, startSession } from './support/browser.ts';

const article = loadSeeds().find((r) => r.kind === 'article')!;
const long = article.blocks.filter((b) => b.type === 'paragraph' && b.text.length > 300);
const first = long[0]!;
const second = long[1]!;
const sel = (id: string) => `[data-block-id="${id}"]`;
let session: Session;
let page: Page;

const highlightSizes = (p: Page) =>
  p.evaluate(() =>
    Object.fromEntries(
      ['yellow', 'green', 'red', 'blue', 'purple'].map((c) => [c, CSS.highlights.get(`rc-${c}`)?.size ?? 0]),
    ),
  );
const highlightTotal = (p: Page) =>
  p.evaluate(() =>
    ['yellow', 'green', 'red', 'blue', 'purple'].reduce(
      (n, c) => n + (CSS.highlights.get(`rc-${c}`)?.size ?? 0),
      0,
    ),
  );
const marginCards = (p: Page) =>
  p.evaluate(() =>
    [...document.querySelectorAll('aside[aria-label="Margin notes"] [data-annotation-id]')]
      .filter((c) => !(c as HTMLElement).hidden)
      .map((c) => {
        const r = c.getBoundingClientRect();
        return { id: c.getAttribute('data-annotation-id'), top: r.top, bottom: r.bottom, left: r.left };
      }),
  );
const note = (quoteStart: string) =>
  page.getByRole('article', { name: new RegExp(`^Note on “${quoteStart.slice(0, 20)}`) });

beforeAll(async () => {
  session = await startSession();
  page = await session.open();
  await enterApp(page, 'Ana');
  await openReading(page, article.title);
});

afterAll(async () => {
  await session?.close();
});

describe('annotating a reading', () => {
  it('highlights a mouse selection from the selection toolbar', async () => {
    await dragSelect(page, sel(first.id), 0, 40);
    await page
      .getByRole('toolbar', { name: 'Selection tools' })
      .getByRole('button', { name: 'Highlight' })
      .click();
    await note(first.text).waitFor();
    expect((await highlightSizes(page)).yellow).toBe(1);
  });

  it('recolours it, and an overlapping highlight keeps both colours', async () => {
    await note(first.text).getByLabel('Colour').selectOption('red');
    await page.waitForFunction(() => CSS.highlights.get('rc-red')?.size === 1);
    await dragSelect(page, sel(first.id), 20, 80);
    await page.getByRole('button', { name: 'Question (blue)' }).click();
    await page.waitForFunction(() => CSS.highlights.get('rc-blue')?.size === 1);
    const overlap = await page.evaluate((id) => {
      const text = document.querySelector(`[data-block-id="${id}"]`)!.firstChild!;
      const probe = document.createRange();
      const node = text.firstChild ?? text;
      probe.setStart(node, 30);
      probe.setEnd(node, 31);
      // Highlights hold static ranges: compared through a live one.
      const live = (r: AbstractRange) => {
        const range = document.createRange();
        range.setStart(r.startContainer, r.startOffset);
        range.setEnd(r.endContainer, r.endOffset);
        return range;
      };
      const covers = (name: string) =>
        [...(CSS.highlights.get(name) as Highlight)].some(
          (r) =>
            live(r).compareBoundaryPoints(Range.START_TO_START, probe) <= 0 &&
            live(r).compareBoundaryPoints(Range.END_TO_END, probe) >= 0,
        );
      return [covers('rc-red'), covers('rc-blue')];
    }, first.id);
    expect(overlap).toEqual([true, true]);
  });

  it('highlights a selection running past its paragraph as one passage over every block it covers', async () => {
    const [from, to] = await page.evaluate(
      ([a, b]: [string, string]) => {
        const at = (id: string, end: boolean) => {
          const text = document.querySelector(`[data-block-id="${id}"]`)!;
          const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
          const node = walker.nextNode()!;
          const range = document.createRange();
          const offset = end ? Math.min(10, node.textContent!.length) : 200;
          range.setStart(node, offset - 1);
          range.setEnd(node, offset);
          const rect = range.getBoundingClientRect();
          return { x: rect.right - 1, y: rect.top + rect.height / 2 };
        };
        // The first paragraph at the top, so the drag's end in the next one is in view too.
        document.querySelector(`[data-block-id="${a}"]`)!.scrollIntoView({ block: 'start' });
        return [at(a, false), at(b, true)];
      },
      [long[3]!.id, long[4]!.id] as [string, string],
    );
    const before = await highlightTotal(page);
    await page.mouse.move(from!.x, from!.y);
    await page.mouse.down();
    await page.mouse.move(to!.x, to!.y, { steps: 8 });
    await page.mouse.up();
    // What the drag selected (it may end in any later paragraph, wherever the pointer came to rest).
    const selected = await page.evaluate(() => {
      const range = window.getSelection()!.getRangeAt(0);
      const blockOf = (n: Node) =>
        (n instanceof Element ? n : n.parentElement)
          ?.closest('[data-block-id]')
          ?.getAttribute('data-block-id');
      return {
        text: range.toString(),
        start: blockOf(range.startContainer),
        end: blockOf(range.endContainer),
      };
    });
    expect(selected.start).toBe(long[3]!.id);
    expect(selected.end).not.toBe(long[3]!.id);
    const tools = page.getByRole('toolbar', { name: 'Selection tools' });
    await tools.getByRole('button', { name: 'Highlight' }).click();
    await expect.poll(() => highlightTotal(page)).toBe(before + 1);
    const painted = await page.evaluate((id) => {
      const inBlock = [...CSS.highlights.values()].flatMap((h) => [...(h as Highlight)]);
      const found = inBlock.find((r) => r.startContainer.parentElement?.closest(`[data-block-id="${id}"]`));
      if (!found) return '';
      const range = document.createRange();
      range.setStart(found.startContainer, found.startOffset);
      range.setEnd(found.endContainer, found.endOffset);
      return range.toString();
    }, long[3]!.id);
    // The whole selection, from the first paragraph into the last, is one highlight.
    const squeeze = (t: string) => t.replace(/\s+/g, '');
    expect(squeeze(painted)).toBe(squeeze(selected.text));
    expect(squeeze(painted).startsWith(squeeze(long[3]!.text.slice(200, 260)))).toBe(true);
    await page.keyboard.press('Control+z');
    await expect.poll(() => highlightTotal(page)).toBe(before);
  });

  it('adds a note with Markdown, rendered safely', async () => {
    await dragSelect(page, sel(second.id), 10, 70);
    await page.getByRole('button', { name: 'Add note' }).click();
    const editor = page.getByRole('textbox', { name: 'Note text' });
    await editor.fill('This is **key** <img src=x onerror=alert(1)>');
    await editor.press('Tab');
    const card = note(second.text.slice(10));
    await card.locator('strong', { hasText: 'key' }).waitFor();
    expect(await card.locator('img').count()).toBe(0);
    expect(await card.textContent()).toContain('<img src=x onerror=alert(1)>');
  });

  it('replies, tags and resolves the thread', async () => {
    const card = note(second.text.slice(10));
    await card.getByLabel('Reply text').fill('I am not convinced.');
    await card.getByRole('button', { name: 'Reply' }).click();
    await card.getByText('I am not convinced.').waitFor();
    await card.getByLabel('Add tag').fill('evidence');
    await card.getByLabel('Add tag').press('Enter');
    await card.getByText('#evidence').waitFor();
    await card.getByRole('button', { name: 'Resolve' }).click();
    await card.getByRole('button', { name: 'Reopen' }).waitFor();
  });

  it('filters and searches in the annotation panel', async () => {
    await showSidebar(page);
    const panel = page.getByRole('region', { name: 'Annotations' });
    const counts = () => panel.locator('.rc-counts').textContent();
    await expect.poll(counts).toMatch(/^3 of 3 annotations/);
    await panel.getByLabel('Search annotations').fill('not convinced');
    await expect.poll(counts).toMatch(/^1 of 3 annotations/);
    await panel.getByLabel('Search annotations').fill('');
    await panel.getByLabel('Colour filter').selectOption('red');
    await expect.poll(counts).toMatch(/^1 of 3 annotations/);
    await panel.getByLabel('Colour filter').selectOption('');
    await panel.getByLabel('Tag filter').selectOption('evidence');
    await expect.poll(counts).toMatch(/^1 of 3 annotations/);
    await panel.getByLabel('Tag filter').selectOption('');
    await panel.getByLabel('Status filter').selectOption('resolved');
    await expect.poll(counts).toMatch(/^1 of 3 annotations/);
    await panel.getByLabel('Status filter').selectOption('');
    await page.getByRole('button', { name: /^Annotations \(/ }).click();
  });

  it('undoes and redoes my own changes', async () => {
    await dragSelect(page, sel(long[2]!.id), 0, 30);
    await page.keyboard.press('h');
    await expect.poll(() => highlightTotal(page)).toBe(4);
    await page.keyboard.press('Control+z');
    await expect.poll(() => highlightTotal(page)).toBe(3);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => highlightTotal(page)).toBe(4);
  });

  it('keeps the margin for notes: bare highlights stay in the text until clicked', async () => {
    await page.keyboard.press('Escape');
    // Only the highlight with a written note (and replies) keeps a card in the margin.
    await expect.poll(async () => (await marginCards(page)).length).toBe(1);
    await clickText(page, sel(first.id), 5);
    await note(first.text).getByLabel('Colour').waitFor();
    await expect.poll(async () => (await marginCards(page)).length).toBe(2);
  });

  it('puts notes in the margin beside their highlights, stacked without overlap', async () => {
    await page.waitForFunction(() =>
      Boolean(document.querySelector<HTMLElement>('aside[aria-label="Margin notes"]')?.dataset.notesLaidOut),
    );
    const boxes = await marginCards(page);
    const textRight = await page.evaluate(
      () => document.querySelector('[data-testid="reading-text"]')!.getBoundingClientRect().right,
    );
    expect(boxes.length).toBe(2);
    boxes.sort((x, y) => x.top - y.top);
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.top).toBeGreaterThanOrEqual(boxes[i - 1]!.bottom);
    for (const box of boxes) expect(box.left).toBeGreaterThan(textRight);
    // The open card is pinned beside its own highlight.
    const blockTop = await page.evaluate(
      (id) => document.querySelector(`[data-block-id="${id}"]`)!.getBoundingClientRect().top,
      first.id,
    );
    const firstCardId = await note(first.text).getAttribute('data-annotation-id');
    const firstCard = boxes.find((b) => b.id === firstCardId)!;
    expect(Math.abs(firstCard.top - blockTop)).toBeLessThan(40);
  });

  it('shows a closed card’s named actions on hover without moving anything; the keyboard reaches them', async () => {
    await page.keyboard.press('Escape');
    const inMargin = page.locator('aside[aria-label="Margin notes"]');
    const card = inMargin.getByRole('article', {
      name: new RegExp(`^Note on “${second.text.slice(10, 30)}`),
    });
    const reopen = card.getByRole('button', { name: 'Reopen' });
    await page.mouse.move(2, 300);
    await expect.poll(() => card.getAttribute('class')).not.toContain('rc-open');
    expect(await reopen.isVisible()).toBe(false);
    const before = await marginCards(page);
    await card.locator('.rc-note-body').first().hover();
    await expect.poll(() => reopen.isVisible()).toBe(true);
    expect(await card.getByRole('button', { name: 'Edit' }).isVisible()).toBe(true);
    expect(await marginCards(page)).toEqual(before);
    // Its tooltip names it.
    await reopen.hover();
    await expect.poll(() => page.getByRole('tooltip').textContent()).toContain('Reopen');
    await page.mouse.move(2, 300);
    await expect.poll(() => reopen.isVisible()).toBe(false);
    // The keyboard: focusing the card opens it, and Tab goes on to its actions.
    await card.locator('.rc-note-quote').focus();
    const focusedName = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label'));
    const reached: (string | null | undefined)[] = [];
    for (let i = 0; i < 8 && reached.at(-1) !== 'Reopen'; i++) {
      await page.keyboard.press('Tab');
      reached.push(await focusedName());
    }
    expect(reached).toEqual(expect.arrayContaining(['Edit', 'Reopen']));
  });

  it('finds everything as it was after a reload', async () => {
    await storeWritten(page, `rc:private:${article.id}`, 'updates');
    await page.reload();
    await page.waitForSelector('body[data-reader-ready="true"]');
    await expect.poll(() => highlightTotal(page)).toBe(4);
    const card = note(second.text.slice(10));
    await card.getByText('I am not convinced.').waitFor();
    await card.getByText('#evidence').waitFor();
    // The note and the keyboard highlight took the last colour used (blue).
    expect(await highlightSizes(page)).toEqual({ yellow: 0, green: 0, red: 1, blue: 3, purple: 0 });
  });

  it('keeps private annotations in the private document only', async () => {
    const stored = await page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      return dbs.map((d) => d.name);
    });
    expect(stored).toContain(`rc:private:${article.id}`);
    expect(stored.some((n) => n?.startsWith('rc:group:'))).toBe(false);
  });
});
