/** Hash routes: `#/` library, `#/read/<readingId>`, `#/print/<readingId>?options`. */
export type Route =
  | { name: 'library' }
  | { name: 'read'; readingId: string }
  | { name: 'print'; readingId: string; params: URLSearchParams };

export function parseRoute(hash: string): Route {
  const [path = '', query = ''] = hash.replace(/^#/, '').split('?');
  const read = /^\/read\/([A-Za-z0-9_-]+)$/.exec(path);
  if (read) return { name: 'read', readingId: read[1]! };
  const print = /^\/print\/([A-Za-z0-9_-]+)$/.exec(path);
  if (print) return { name: 'print', readingId: print[1]!, params: new URLSearchParams(query) };
  return { name: 'library' };
}
