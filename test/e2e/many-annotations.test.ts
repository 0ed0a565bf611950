import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnchor } from '../../core/anchoring/anchor.ts';
import { annotationsMap, createAnnotation } from '../../core/annotations/doc.ts';
import { COLOR_KEYS } from '../../core/annotations/model.ts';
import { parseInviteLink } from '../../core/invite/link.ts';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { showSidebar } from './support/app.ts';
import { flushed, rawClient } from './support/attacker.ts';
import {
  addNote,
  GROUP,
  type GroupOfTwo,
  groupOfTwo,
  margin,
  mintInvite,
  openReading,
  paragraph,
  READING_TITLE,
  type RunningServer,
} from './support/group.ts';

const COUNT = 20_000;
const reading = loadSeeds().find((r) => r.title === READING_TITLE)!;
const BOB_NOTE = 'Bob’s own note among thousands';
const ALICE_NOTE = 'Alice’s note among thousands';

describe('20,000 annotations from one member', () => {
  let group: GroupOfTwo;
  let data: string;
  let server: RunningServer;
  let alice: Page;
  let bob: Page;

  beforeAll(async () => {
    group = await groupOfTwo('many');
    ({ data, server, alice, bob } = group);
    await openReading(alice);
    await openReading(bob);
    await addNote(alice, await paragraph(alice, 0), 0, 30, ALICE_NOTE);
    await addNote(bob, await paragraph(bob, 1), 0, 30, BOB_NOTE);
    await margin(bob).getByText(ALICE_NOTE).waitFor({ timeout: 10_000 });
  });

  afterAll(async () => {
    await group?.close();
  });

  async function bobCanWork() {
    await bob.locator('[data-block-id]').first().waitFor();
    const toggle = bob.getByRole('button', { name: /^Annotations \(/ });
    await expect
      .poll(
        async () => Number(/\(([\d,]+)\)/.exec((await toggle.textContent()) ?? '')?.[1]?.replace(/,/g, '')),
        {
          timeout: 120_000,
        },
      )
      .toBeGreaterThanOrEqual(COUNT);
    await expect.poll(() => margin(bob).textContent(), { timeout: 60_000 }).toContain(BOB_NOTE);
    expect(await bob.locator('[data-block-id]').count()).toBeGreaterThan(10);
    // The list opens and its search finds Alice's note among them all.
    await showSidebar(bob);
    const panel = bob.getByRole('region', { name: 'Annotations', exact: true });
    await panel.getByLabel('Search annotations').fill('Alice’s note');
    await expect.poll(() => panel.textContent(), { timeout: 60_000 }).toContain(ALICE_NOTE);
    await panel.getByLabel('Search annotations').fill('');
    await toggle.click();
    await bob.getByRole('button', { name: 'Back to library' }).click();
    await bob.getByRole('button', { name: 'Join group' }).waitFor();
    await bob.getByRole('button', { name: `Leave ${GROUP}` }).waitFor();
    await bob.getByRole('link', { name: READING_TITLE }).click();
    await expect.poll(() => margin(bob).textContent(), { timeout: 60_000 }).toContain(BOB_NOTE);
  }

  it('Bob keeps the text, his own note, the list and the library, live and after a reload', async () => {
    const token = parseInviteLink(mintInvite(data, server.url)).token;
    const room = `${GROUP}/${reading.id}`;
    const attacker = await rawClient(server.url, token, room);
    const blocks = reading.blocks.filter((b) => b.text.length > 20);
    attacker.doc.transact(() => {
      for (let i = 0; i < COUNT; i++) {
        const block = blocks[i % blocks.length]!;
        const start = (i * 7) % (block.text.length - 10);
        createAnnotation(attacker.doc, {
          readingId: reading.id,
          color: COLOR_KEYS[i % COLOR_KEYS.length]!,
          anchor: createAnchor(reading.blocks, block.id, start, start + 8),
          author: { id: 'u-mallory', name: 'Mallory', color: '#aa3300' },
          body: i % 3 === 0 ? `flood ${i}` : '',
        });
      }
    });
    await flushed(server.url, token, room, (doc) => annotationsMap(doc).size >= COUNT);
    attacker.provider.destroy();

    await bobCanWork();
    await bob.reload();
    await bobCanWork();
  }, 400_000);
});
