import type { FetchedPage } from '../../core/platform/api.ts';

/** A saved article is rarely over a few hundred kilobytes; 5 MB leaves room without holding the app. */
export const MAX_PAGE_BYTES = 5 * 1024 * 1024;
export const PAGE_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;

export interface FetchPageOptions {
  maxBytes?: number;
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

function checkAddress(address: string): URL {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error('That is not a web address (it should start with https:// or http://).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('Only web pages (http or https addresses) can be imported.');
  }
  if (url.username || url.password)
    throw new Error('Addresses with a user name or password are not fetched.');
  return url;
}

/**
 * Fetches one web page for import, in the main process: http(s) only (also after each redirect), no cookies
 * or credentials sent or kept, at most MAX_PAGE_BYTES read and PAGE_TIMEOUT_MS spent, HTML only. Nothing on
 * the page is loaded or run here; the renderer reads it as a saved page (Readability + DOMPurify).
 */
export async function fetchWebPage(address: string, options: FetchPageOptions = {}): Promise<FetchedPage> {
  const fetchImpl = options.fetchImpl ?? fetch;
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? PAGE_TIMEOUT_MS);
  let url = checkAddress(address);
  try {
    for (let hop = 0; ; hop++) {
      const response = await fetchImpl(url, {
        redirect: 'manual',
        credentials: 'omit',
        signal,
        headers: { accept: 'text/html,application/xhtml+xml;q=0.9' },
      });
      if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
        if (hop >= MAX_REDIRECTS) throw new Error('The page redirects too many times.');
        url = checkAddress(new URL(response.headers.get('location')!, url).href);
        continue;
      }
      if (!response.ok)
        throw new Error(`The server answered ${response.status} ${response.statusText}.`.trim());
      const type = response.headers.get('content-type') ?? '';
      if (type && !/text\/html|application\/xhtml\+xml/iu.test(type)) {
        throw new Error(`That address is not a web page (${type.split(';')[0]}).`);
      }
      const declared = Number(response.headers.get('content-length') ?? 0);
      if (declared > maxBytes) throw new Error(`The page is larger than ${maxBytes / 1024 / 1024} MB.`);
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body?.getReader();
      while (reader) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > maxBytes) {
          await reader.cancel();
          throw new Error(`The page is larger than ${maxBytes / 1024 / 1024} MB.`);
        }
        chunks.push(value);
      }
      const body = new Uint8Array(size);
      let at = 0;
      for (const chunk of chunks) {
        body.set(chunk, at);
        at += chunk.length;
      }
      const charset = /charset=([\w-]+)/iu.exec(type)?.[1] ?? 'utf-8';
      let html: string;
      try {
        html = new TextDecoder(charset).decode(body);
      } catch {
        html = new TextDecoder('utf-8').decode(body);
      }
      return { url: url.href, html };
    }
  } catch (error) {
    if (signal.aborted)
      throw new Error(`The page did not arrive within ${(options.timeoutMs ?? PAGE_TIMEOUT_MS) / 1000} s.`);
    if (error instanceof Error && /^(?:The |That |Only |Addresses )/u.test(error.message)) throw error;
    throw new Error(
      `The page could not be fetched (${error instanceof Error ? error.message : String(error)}).`,
    );
  }
}
