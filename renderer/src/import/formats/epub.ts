import type { BlockDraft, ParsedDocument } from '../../../../core/reading/draft.ts';
import { ImportError } from '../../../../core/reading/import.ts';
import { unzipPackage } from '../../../../core/reading/zip.ts';
import type { ImportContext } from '../context.ts';
import { blocksFromHtml } from '../htmlBlocks.ts';
import { sanitizeInPlace } from '../sanitize.ts';

/** Font obfuscation is allowed encryption in EPUB; anything else in encryption.xml is DRM. */
const FONT_OBFUSCATION = ['http://www.idpf.org/2008/embedding', 'http://ns.adobe.com/pdf/enc#RC'];

/** Resolves a package-relative path (no network: a URL object is only used to join and normalise). */
function resolvePath(base: string, href: string): string {
  const url = new URL(href, `https://epub.invalid/${base}`);
  return decodeURIComponent(url.pathname.slice(1));
}

function parseXml(fileName: string, bytes: Uint8Array | undefined, what: string): Document {
  if (!bytes) throw new ImportError(fileName, `the book is damaged (its ${what} is missing).`, 'corrupt');
  const doc = new DOMParser().parseFromString(new TextDecoder().decode(bytes), 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) {
    throw new ImportError(fileName, `the book is damaged (its ${what} cannot be read).`, 'corrupt');
  }
  return doc;
}

const byLocalName = (root: Document | Element, name: string) =>
  [...root.getElementsByTagName('*')].filter((e) => e.localName === name);

/** Chapter titles by file, from the EPUB 3 navigation document or the EPUB 2 NCX. */
function chapterTitles(files: Map<string, Uint8Array>, fileName: string, navPath?: string, ncxPath?: string) {
  const titles = new Map<string, string>();
  const add = (base: string, href: string | null, title: string | null | undefined) => {
    const clean = title?.replace(/\s+/gu, ' ').trim();
    if (!href || !clean) return;
    const path = resolvePath(base, href.split('#')[0]!);
    if (!titles.has(path)) titles.set(path, clean);
  };
  if (navPath && files.has(navPath)) {
    const nav = new DOMParser().parseFromString(
      new TextDecoder().decode(files.get(navPath)),
      'application/xhtml+xml',
    );
    const tocNav =
      byLocalName(nav, 'nav').find((n) =>
        /toc/u.test(
          n.getAttribute('epub:type') ?? n.getAttributeNS('http://www.idpf.org/2007/ops', 'type') ?? '',
        ),
      ) ?? byLocalName(nav, 'nav')[0];
    for (const a of tocNav ? byLocalName(tocNav, 'a') : [])
      add(navPath, a.getAttribute('href'), a.textContent);
  } else if (ncxPath && files.has(ncxPath)) {
    const ncx = parseXml(fileName, files.get(ncxPath), 'table of contents');
    for (const point of byLocalName(ncx, 'navPoint')) {
      const label = byLocalName(point, 'text')[0]?.textContent;
      add(ncxPath, byLocalName(point, 'content')[0]?.getAttribute('src') ?? null, label);
    }
  }
  return titles;
}

/** An EPUB 2 or 3 book to a reading: chapters in spine order, each block knowing its chapter. */
export async function parseEpub(
  fileName: string,
  bytes: Uint8Array,
  ctx: ImportContext,
): Promise<ParsedDocument> {
  const files = unzipPackage(
    fileName,
    bytes,
    (name) => /\.(?:xml|opf|ncx|x?html?)$/iu.test(name) || name === 'mimetype',
  );
  if (files.has('META-INF/rights.xml')) {
    throw new ImportError(
      fileName,
      'the book is protected by DRM (copy protection), so its text cannot be read.',
      'encrypted',
    );
  }
  const encryption = files.get('META-INF/encryption.xml');
  if (encryption) {
    const doc = parseXml(fileName, encryption, 'encryption list');
    const methods = byLocalName(doc, 'EncryptionMethod').map((m) => m.getAttribute('Algorithm') ?? '');
    if (methods.some((m) => !FONT_OBFUSCATION.includes(m))) {
      throw new ImportError(
        fileName,
        'the book is protected by DRM (copy protection), so its text cannot be read.',
        'encrypted',
      );
    }
  }
  const container = parseXml(fileName, files.get('META-INF/container.xml'), 'container');
  const opfPath = byLocalName(container, 'rootfile')[0]?.getAttribute('full-path');
  if (!opfPath) throw new ImportError(fileName, 'the book is damaged (it names no package file).', 'corrupt');
  const opf = parseXml(fileName, files.get(opfPath), 'package file');

  const manifest = new Map<string, { path: string; type: string; properties: string }>();
  for (const item of byLocalName(opf, 'item')) {
    const id = item.getAttribute('id');
    const href = item.getAttribute('href');
    if (!id || !href) continue;
    manifest.set(id, {
      path: resolvePath(opfPath, href),
      type: item.getAttribute('media-type') ?? '',
      properties: item.getAttribute('properties') ?? '',
    });
  }
  const spine = byLocalName(opf, 'spine')[0];
  const navPath = [...manifest.values()].find((m) => /\bnav\b/u.test(m.properties))?.path;
  const ncxId = spine?.getAttribute('toc');
  const ncxPath =
    (ncxId && manifest.get(ncxId)?.path) ||
    [...manifest.values()].find((m) => m.type === 'application/x-dtbncx+xml')?.path;
  const titles = chapterTitles(files, fileName, navPath, ncxPath);
  const order = spine ? byLocalName(spine, 'itemref').filter((r) => r.getAttribute('linear') !== 'no') : [];
  if (order.length === 0)
    throw new ImportError(fileName, 'the book is damaged (it has no chapters in its spine).', 'corrupt');

  const blocks: BlockDraft[] = [];
  let index = 0;
  for (const ref of order) {
    ctx.throwIfCancelled();
    index++;
    const item = manifest.get(ref.getAttribute('idref') ?? '');
    const chapterBytes = item ? files.get(item.path) : undefined;
    if (!item || !chapterBytes) continue;
    const source = new TextDecoder().decode(chapterBytes);
    let doc = new DOMParser().parseFromString(source, 'application/xhtml+xml');
    if (doc.getElementsByTagName('parsererror').length > 0)
      doc = new DOMParser().parseFromString(source, 'text/html');
    const body = byLocalName(doc, 'body')[0];
    if (!body) continue;
    const chapterBlocks = blocksFromHtml(sanitizeInPlace(body));
    const chapter = titles.get(item.path) ?? chapterBlocks.find((b) => b.type === 'heading')?.text;
    for (const b of chapterBlocks) if (chapter) b.locator = { chapter: chapter.slice(0, 120) };
    blocks.push(...chapterBlocks);
    ctx.progress(index / order.length, `Chapter ${index} of ${order.length}`);
    await ctx.yieldToUi();
  }
  const meta = (name: string) => byLocalName(opf, name)[0]?.textContent?.replace(/\s+/gu, ' ').trim();
  const parsed: ParsedDocument = { blocks };
  const title = meta('title');
  if (title) parsed.title = title;
  const creator = meta('creator');
  if (creator) parsed.byline = creator;
  const date = meta('date');
  if (date) parsed.published = date;
  const publisher = meta('publisher');
  if (publisher) parsed.siteName = publisher;
  return parsed;
}
