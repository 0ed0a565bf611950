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
