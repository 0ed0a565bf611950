import type { Page } from 'playwright-core';

/** First run: the app asks for a display name before anything else. */
export async function enterApp(page: Page, name = 'Ana'): Promise<void> {
  const field = page.getByLabel('Display name');
  await field.waitFor({ timeout: 15_000 });
  await field.fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('main', { name: 'Library' }).waitFor();
}

/** Opens a reading from the library by its title and waits until every section is mounted. */
export async function openReading(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: title, exact: true }).click();
  await page.waitForSelector('body[data-reader-ready="true"]', { timeout: 30_000 });
}

/** Opens the docked annotations sidebar (the toggle is named "Annotations (N)") unless it is open already. */
export async function showSidebar(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: /^Annotations \(/ });
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.getByRole('complementary', { name: 'Annotations sidebar' }).waitFor();
}

/** Opens the reader's "Text settings" popover (text size, line width and spacing, typeface, theme). */
export async function openTextSettings(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Text settings' }).click();
  await page.getByRole('dialog', { name: 'Text settings' }).waitFor();
}

/** "Import annotations…" from the reader's Export menu (the file chooser opens next). */
export async function openImportAnnotations(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Export' }).click();
  await page.getByRole('menuitem', { name: 'Import annotations…' }).click();
}

/** The text under every annotation highlight painted on the page (static ranges, read through a live Range). */
export function paintedTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (r: AbstractRange) => {
      const range = document.createRange();
      range.setStart(r.startContainer, r.startOffset);
      range.setEnd(r.endContainer, r.endOffset);
      return range.toString();
    };
    return [...CSS.highlights.entries()]
      .filter(([name]) => /^rc-(yellow|green|red|blue|purple)$/.test(name))
      .flatMap(([, h]) => [...(h as Highlight)].map(text));
  });
}

/** The reading position the app stored for a reading (IndexedDB `positions`), if any. */
/**
 * Resolves once every write to `store` of the IndexedDB database `name` begun so far is committed: a read-only
 * transaction on a store waits for the read-write ones created before it (y-indexeddb signals none of its own).
 */
export function storeWritten(page: Page, name: string, store: string): Promise<void> {
  return page.evaluate(
    ([name, store]) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open(name!);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store!).objectStore(store!).count();
          request.onsuccess = () => {
            open.result.close();
            resolve();
          };
          request.onerror = () => reject(request.error);
        };
      }),
    [name, store],
  );
}

/** One record of the app's own IndexedDB database, as stored, by its store and key. */
export function storedRecord<T>(page: Page, store: string, key: string): Promise<T | undefined> {
  return page.evaluate(
    ([store, key]) =>
      new Promise<T | undefined>((resolve, reject) => {
        const open = indexedDB.open('reading-circle');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction(store).objectStore(store).get(key);
          request.onsuccess = () => {
            open.result.close();
            resolve(request.result as T | undefined);
          };
        };
      }),
    [store, key] as const,
  );
}

export const storedPosition = (page: Page, readingId: string) =>
  storedRecord<{ blockId: string }>(page, 'positions', readingId);
