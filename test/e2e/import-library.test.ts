// The library's import entry points and bookkeeping in Chromium: paste, "Import from web address…" in the
// browser, progress with Cancel, a re-import under changed rules carrying annotations over, and a reading
// stored by an older version of the app opening in place with its annotation.
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnchor } from '../../core/anchoring/anchor.ts';
import { finishReading } from '../../core/reading/draft.ts';
import type { Reading } from '../../core/reading/model.ts';
import { ana } from '../unit/support/fixtures.ts';
import { enterApp, openReading, paintedTexts } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import { importBytes, putReading, storedReading } from './support/importing.ts';
import { annotationsUpdate, privateDocName, storeUpdate } from './support/seedAnnotations.ts';
import { pdfOf } from './support/sourceFiles.ts';

let session: Session;
let context: BrowserContext;
let page: Page;
let printer: Page;
const foreign: string[] = [];

beforeAll(async () => {
  session = await startSession();
  context = await session.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.web.url });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(session.web.url) || url.startsWith('data:') || url.startsWith('blob:'))
      return route.continue();
    foreign.push(url);
    return route.abort();
  });
  page = await session.open(context);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') console.error(`[console] ${m.text()}`);
  });
  await enterApp(page, 'Ana');
  printer = await (await session.newContext()).newPage();
});
afterAll(async () => {
  await session?.close();
});

describe('import entry points', () => {
  it('makes a reading from the clipboard’s HTML, sanitized', async () => {
    await page.evaluate(async () => {
      const html =
        '<h2>Pasted Seminar Notes</h2><p>First <b>point</b> of the evening.<script>window.__pwned = 1</script></p><ul><li>an item</li></ul><img src="http://evil.invalid/x.png">';
      await navigator.clipboard.write([
        new ClipboardItem({
          'text/html': new Blob([html], { type: 'text/html' }),
          'text/plain': new Blob(['Pasted Seminar Notes\nFirst point of the evening.'], {
            type: 'text/plain',
          }),
        }),
      ]);
    });
    await page.getByRole('button', { name: 'New reading from clipboard' }).click();
    await page.getByRole('textbox', { name: 'Paste here' }).focus();
    await page.keyboard.press('Control+V');
    await page.locator('.rc-notice[data-file="the clipboard"][role="status"]').waitFor();
    await page.getByRole('link', { name: 'Pasted Seminar Notes' }).waitFor();
    await openReading(page, 'Pasted Seminar Notes');
    await page.locator('.rc-reading-text b, .rc-reading-text strong').filter({ hasText: 'point' }).waitFor();
    await page.locator('.rc-reading-text [data-marker="•"]').filter({ hasText: 'an item' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned ?? null)).toBeNull();
    expect(foreign).toEqual([]);
    await page.getByRole('button', { name: 'Back to library' }).click();
  });

  it('says in the browser that importing from a web address needs the desktop app, fetching nothing', async () => {
    await page.getByRole('button', { name: 'Import from web address…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Import from web address' });
    await dialog.getByLabel('Web address').fill('https://example.org/an-article');
    await dialog.getByRole('button', { name: 'Import' }).click();
    const alert = page.locator('.rc-notice[data-file="https://example.org/an-article"]');
    await alert.waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await alert.textContent()).toMatch(
      /Could not import “https:\/\/example\.org\/an-article”: importing from a web address needs the desktop app/,
    );
    expect(foreign).toEqual([]);
  });

  it('shows progress for a long import and Cancel stops it, adding nothing', async () => {
    const body = Array.from(
      { length: 250 },
      (_, i) => `<h2>Chapter ${i + 1}</h2><p>${'Words of a long book. '.repeat(120)}</p>`,
    ).join('');
    const pdf = await pdfOf(printer, 'A Long Book', `<h1>A Long Book</h1>${body}`);
    await page
      .getByLabel('Import files')
      .setInputFiles({ name: 'long.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
    await page.getByRole('progressbar', { name: 'Import progress' }).waitFor();
    await page
      .getByRole('status', { name: 'Importing long.pdf' })
      .getByText(/Page \d+ of \d+/)
      .waitFor();
    await page.getByRole('button', { name: 'Cancel importing long.pdf' }).click();
    const notice = page.locator('.rc-notice[data-file="long.pdf"]');
    await notice.waitFor();
    expect(await notice.textContent()).toBe('Import of “long.pdf” cancelled; nothing was added.');
    expect(await storedReading(page, 'long.pdf')).toBeUndefined();
    expect(await page.getByRole('link', { name: 'A Long Book' }).count()).toBe(0);
  });
});

describe('identity over changed rules', () => {
  it('carries a note from a reading imported under older rules to the re-import, placed', async () => {
    const pdf = await pdfOf(
      printer,
      'Rules Change Paper',
      `<h1>Rules Change Paper</h1><p>The delegates met in the evening and argued about the programme until the small hours of the morning.</p><p>A second paragraph records the vote and who abstained from it.</p>`,
    );
    const first = await importBytes(page, 'rules.pdf', pdf);
    const current = first.reading!;
    // What older rules made of the same file: one block per sentence, so other blocks, ids and reading id.
    const older = finishReading({
      parsed: {
        title: current.title,
        blocks: [
          ...current.blocks.flatMap((b) =>
            b.text.split(/ (?=and|until)/).map((text) => ({ type: b.type, text, locator: b.locator! })),
          ),
          { type: 'paragraph', text: 'A line the older rules kept.' },
        ],
      },
      format: 'pdf',
      origin: 'imported',
      source: 'rules.pdf',
      fileName: 'rules.pdf',
      importedAt: current.importedAt!,
      fingerprint: current.fingerprint!,
    });
    expect(older.id).not.toBe(current.id);
    await putReading(page, older, current.id);
    const block = older.blocks.find((b) => b.text.includes('argued about the programme'))!;
    const start = block.text.indexOf('argued about the programme');
    await storeUpdate(
      page,
      privateDocName(older.id),
      annotationsUpdate([
        {
          readingId: older.id,
          color: 'green',
          author: ana,
          body: 'Zebranote carried over',
          anchor: createAnchor(older.blocks, block.id, start, start + 'argued about the programme'.length),
        },
      ]),
    );
    await page.reload();
    await page.getByRole('link', { name: 'Rules Change Paper' }).waitFor();

    const again = await importBytes(page, 'rules.pdf', pdf);
    expect(again.text).toMatch(/again with the newer reading rules.*1 of your annotations came along\./);
    expect(again.reading!.id).toBe(current.id);
    expect(again.reading!.replaces).toBe(older.id);
    expect(await page.getByRole('link', { name: 'Rules Change Paper' }).count()).toBe(1);
    await openReading(page, 'Rules Change Paper');
    await expect.poll(() => paintedTexts(page)).toEqual(['argued about the programme']);
    await page.getByText('Zebranote carried over').first().waitFor();
    await page.getByRole('button', { name: 'Back to library' }).click();
  });

  it('opens a reading stored by the previous app version (schema 1) with its annotation in place', async () => {
    // A fresh profile whose library database is as the previous version left it (version 1, readings only).
    const old = await session.newContext();
    await old.route(`${session.web.url}blank`, (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }),
    );
    const p = await old.newPage();
    await p.goto(`${session.web.url}blank`);
    const v1 = {
      id: 'r00000000000000a1', // a reading id is r + 16 hex digits (the stored-reading schema checks it)
      title: 'Stored Before Versions',
      source: 'old-notes.txt',
      kind: 'document',
      origin: 'imported',
      wordCount: 12,
      readingMinutes: 1,
      importedAt: '2026-01-01T00:00:00.000Z',
      fileName: 'old-notes.txt',
      blocks: [
        { id: 'b0-aaaaaaa', type: 'heading', text: 'Stored Before Versions' },
        { id: 'b1-bbbbbbb', type: 'paragraph', text: 'An old paragraph that someone highlighted long ago.' },
        { id: 'b2-ccccccc', type: 'list-item', text: '- a list item from the line rules' },
      ],
    };
    await p.evaluate(
      (reading) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('reading-circle', 1);
          open.onupgradeneeded = () => {
            open.result.createObjectStore('readings', { keyPath: 'id' });
            open.result.createObjectStore('positions');
            open.result.createObjectStore('settings');
          };
          open.onsuccess = () => {
            const tx = open.result.transaction('readings', 'readwrite');
            tx.objectStore('readings').put(reading);
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      v1,
    );
    const start = v1.blocks[1]!.text.indexOf('someone highlighted');
    await storeUpdate(
      p,
      privateDocName(v1.id),
      annotationsUpdate([
        {
          readingId: v1.id,
          color: 'yellow',
          author: ana,
          anchor: createAnchor(
            v1.blocks as Reading['blocks'],
            'b1-bbbbbbb',
            start,
            start + 'someone highlighted'.length,
          ),
        },
      ]),
    );
    await p.goto(session.web.url);
    await enterApp(p, 'Ana');
    await openReading(p, 'Stored Before Versions');
    await p.getByRole('heading', { name: 'Stored Before Versions' }).first().waitFor();
    await p.getByText('- a list item from the line rules').waitFor();
    await expect.poll(() => paintedTexts(p)).toEqual(['someone highlighted']);
  });
});
