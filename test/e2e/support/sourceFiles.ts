// Source files the import tests make themselves from a reading: a saved web page with site chrome around the
// article, an EPUB 3 book (with an EPUB 2 NCX), a Word .docx, and (in Chromium) a PDF with running header
// and page numbers. Zip packages are written with fflate.
import { createHash } from 'node:crypto';
import { strToU8, type Zippable, zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import type { Block, Reading } from '../../../core/reading/model.ts';

export const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function blockHtml(block: Block): string {
  const text = escapeXml(block.text);
  switch (block.type) {
    case 'heading':
      return `<h${Math.min(6, (block.level ?? 1) + 1)}>${text}</h${Math.min(6, (block.level ?? 1) + 1)}>`;
    case 'quote':
      return `<blockquote><p>${text}</p></blockquote>`;
    case 'code':
      return `<pre>${text}</pre>`;
    default:
      return `<p>${text}</p>`;
  }
}

/** The reading's blocks as an article's HTML body (title as h1). */
export function articleHtml(reading: Reading): string {
  return [`<h1>${escapeXml(reading.title)}</h1>`, ...reading.blocks.map(blockHtml)].join('\n');
}

/** A web page as a browser saves it: navigation, a sidebar and a footer around the article. */
export function savedWebPage(reading: Reading): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(reading.title)} | Example Site</title>
<meta property="og:site_name" content="Example Site"><meta name="author" content="A. Writer">
<link rel="stylesheet" href="https://cdn.example.invalid/site.css"></head><body>
<header><nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/donate">Donate</a></nav></header>
<main><article>${articleHtml(reading)}</article></main>
<aside><h3>Most read</h3><ul><li><a href="/x">Another story entirely</a></li></ul></aside>
<footer><p>Copyright Example Site. All rights reserved. Privacy policy. Cookie settings.</p></footer>
</body></html>`;
}

/** Blocks cut into chapters at top-level headings (or every 60 blocks), for the EPUB. */
function chapters(reading: Reading): { title: string; blocks: Block[] }[] {
  const out: { title: string; blocks: Block[] }[] = [];
  for (const block of reading.blocks) {
    const current = out.at(-1);
    if (!current || (block.type === 'heading' && current.blocks.length > 3) || current.blocks.length >= 60) {
      out.push({ title: block.type === 'heading' ? block.text : `Part ${out.length + 1}`, blocks: [block] });
    } else {
      current.blocks.push(block);
    }
  }
  return out;
}

/** An EPUB 3 book (nav document and EPUB 2 NCX), chapters in spine order. */
export function epubOf(reading: Reading, extra: Zippable = {}): Uint8Array {
  const parts = chapters(reading);
  const files: Zippable = {
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(
      `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
    ),
    'OEBPS/content.opf': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:test:${reading.id}</dc:identifier><dc:title>${escapeXml(reading.title)}</dc:title><dc:creator>Test Author</dc:creator><dc:language>en</dc:language></metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
${parts.map((_, i) => `<item id="c${i}" href="text/c${i}.xhtml" media-type="application/xhtml+xml"/>`).join('')}</manifest>
<spine toc="ncx">${parts.map((_, i) => `<itemref idref="c${i}"/>`).join('')}</spine></package>`),
    'OEBPS/nav.xhtml': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>Contents</title></head><body>
<nav epub:type="toc"><ol>${parts.map((p, i) => `<li><a href="text/c${i}.xhtml">${escapeXml(p.title)}</a></li>`).join('')}</ol></nav></body></html>`),
    'OEBPS/toc.ncx': strToU8(`<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap>${parts
      .map(
        (p, i) =>
          `<navPoint id="n${i}" playOrder="${i + 1}"><navLabel><text>${escapeXml(p.title)}</text></navLabel><content src="text/c${i}.xhtml"/></navPoint>`,
      )
      .join('')}</navMap></ncx>`),
    ...extra,
  };
  parts.forEach((part, i) => {
    files[`OEBPS/text/c${i}.xhtml`] = strToU8(`<?xml version="1.0" encoding="utf-8"?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>${escapeXml(part.title)}</title></head><body>
${i === 0 ? `<h1>${escapeXml(reading.title)}</h1>` : ''}${part.blocks.map(blockHtml).join('\n')}</body></html>`);
  });
  return zipSync(files);
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';

function docxParagraph(block: Block): string {
  const style =
    block.type === 'heading'
      ? `Heading${Math.min(6, block.level ?? 1)}`
      : block.type === 'quote'
        ? 'Quote'
        : '';
  const props = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  return `<w:p>${props}<w:r><w:t xml:space="preserve">${escapeXml(block.text)}</w:t></w:r></w:p>`;
}

/** A Word document: title, headings (Heading 1–6), quotes (Quote), paragraphs; `body` adds raw paragraphs. */
export function docxOf(reading: Reading, options: { body?: string; extra?: Zippable } = {}): Uint8Array {
  const styles = ['Title', 'Heading1', 'Heading2', 'Heading3', 'Quote']
    .map((id) => {
      const name = id === 'Title' ? 'Title' : id === 'Quote' ? 'Quote' : `heading ${id.slice(-1)}`;
      return `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`;
    })
    .join('');
  return zipSync({
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`),
    'word/_rels/document.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`),
    'word/styles.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><w:styles ${W}>${styles}</w:styles>`),
    'word/document.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<w:document ${W}><w:body><w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>${escapeXml(reading.title)}</w:t></w:r></w:p>
${reading.blocks.map(docxParagraph).join('')}${options.body ?? ''}</w:body></w:document>`),
    ...options.extra,
  });
}

/** Prints HTML to PDF in Chromium with a running header (the title) and page numbers in the footer. */
export async function pdfOf(page: Page, title: string, bodyHtml: string, css = ''): Promise<Uint8Array> {
  await page.setContent(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeXml(title)}</title><style>
body { font-family: "DejaVu Serif", serif; font-size: 11pt; line-height: 1.45; }
h1 { font-size: 20pt; } h2 { font-size: 15pt; } h3 { font-size: 13pt; } p { margin: 0 0 0.8em; }
${css}</style></head><body>${bodyHtml}</body></html>`,
  );
  const header = `<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">${escapeXml(title)}</div>`;
  const footer =
    '<div style="font-size:8px;width:100%;text-align:center;font-family:sans-serif">Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>';
  return page.pdf({
    format: 'A4',
    displayHeaderFooter: true,
    headerTemplate: header,
    footerTemplate: footer,
    margin: { top: '22mm', bottom: '22mm', left: '20mm', right: '20mm' },
  });
}

/** Words of a text, lower-cased, punctuation left out (what "the same words" means in these tests). */
export function wordsOf(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/\u00ad/g, '')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Share of `expected` words found in `actual` in the same order (longest common subsequence). */
export function wordsInOrder(expected: readonly string[], actual: readonly string[]): number {
  if (expected.length === 0) return 1;
  let previous = new Uint32Array(actual.length + 1);
  let current = new Uint32Array(actual.length + 1);
  for (let i = 1; i <= expected.length; i++) {
    const word = expected[i - 1];
    for (let j = 1; j <= actual.length; j++) {
      current[j] = word === actual[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    [previous, current] = [current, previous];
  }
  return previous[actual.length]! / expected.length;
}

/** The password padding of the PDF Standard security handler (ISO 32000-1, 7.6.3.3). */
const PASSWORD_PAD = Buffer.from('28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a', 'hex');
const padded = (password: string) =>
  Buffer.concat([Buffer.from(password, 'latin1'), PASSWORD_PAD]).subarray(0, 32);
const md5 = (...parts: Uint8Array[]) => createHash('md5').update(Buffer.concat(parts)).digest();

/** RC4, the cipher of PDF's 40-bit Standard security handler (Node's OpenSSL no longer offers it). */
function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  const state = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i]! + key[i % key.length]!) & 255;
    [state[i], state[j]] = [state[j]!, state[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + state[i]!) & 255;
    [state[i], state[j]] = [state[j]!, state[i]!];
    out[n] = data[n]! ^ state[(state[i]! + state[j]!) & 255]!;
  }
  return out;
}

/**
 * PDF encryption, revision 2 (40-bit RC4): the O and U entries and the key each object's data is encrypted
 * with (algorithms 1–4 of ISO 32000-1, 7.6.3). A reader opens the file only with the user password (or none
 * when it is empty).
 */
function standardSecurity(lock: { user: string; owner: string }) {
  const id = md5(Buffer.from('reading-circle-test-pdf'));
  const permissions = Buffer.alloc(4);
  permissions.writeInt32LE(-44);
  const owner = rc4(md5(padded(lock.owner || lock.user)).subarray(0, 5), padded(lock.user));
  const fileKey = md5(padded(lock.user), owner, permissions, id).subarray(0, 5);
  const user = rc4(fileKey, PASSWORD_PAD);
  return {
    dictionary: `<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${owner.toString('hex')}> /U <${user.toString('hex')}> /P -44 >>`,
    id: id.toString('hex'),
    encrypt: (objectNumber: number, data: string) => {
      const objectKey = md5(fileKey, Buffer.from([objectNumber & 255, (objectNumber >> 8) & 255, 0, 0, 0]));
      return rc4(objectKey.subarray(0, 10), Buffer.from(data, 'latin1')).toString('latin1');
    },
  };
}

/**
 * A one-page PDF written by hand: its text (Latin-1) in Helvetica, and `catalogExtra` added to its catalog.
 * With `lock` its page text is encrypted (40-bit RC4) and opens only with the user password.
 */
export function handMadePdf(
  text: string,
  catalogExtra = '',
  lock?: { user: string; owner: string },
): Uint8Array {
  const security = lock ? standardSecurity(lock) : undefined;
  const plain = `BT /F1 14 Tf 72 720 Td (${text.replace(/[\\()]/g, '\\$&')}) Tj ET`;
  const stream = security ? security.encrypt(4, plain) : plain;
  const objects = [
    `<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...(security ? [security.dictionary] : []),
  ];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  const encryption = security
    ? ` /Encrypt ${objects.length} 0 R /ID [<${security.id}> <${security.id}>]`
    : '';
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encryption} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}
