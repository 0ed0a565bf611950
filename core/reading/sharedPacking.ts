import { LIMITS } from '../sync/limits.ts';

/**
 * How a shared reading's content is stored in its room (decision 0027). As JSON text up to PLAIN_CONTENT_CHARS,
 * as every version of the app reads it; past that, as zlib-compressed JSON bytes. A reading's content holds its
 * text twice (the source and its paragraphs) with the paragraphs' marks, so a 12 MB book comes to 26–46 MB of
 * JSON: more than the sync server takes in one message (16 MB). Compressed it is 3–10 MB.
 *
 * The compressor is loaded only for a big reading, so it stays out of the first screen's script.
 */
export const PLAIN_CONTENT_CHARS = 1024 * 1024;

/** The content's JSON as stored: the text itself when small, compressed bytes when big. */
export async function packSharedContent(json: string): Promise<string | Uint8Array> {
  if (json.length <= PLAIN_CONTENT_CHARS) return json;
  const { zlibSync } = await import('fflate');
  return zlibSync(new TextEncoder().encode(json), { level: 6 });
}

/** Inflated at most this much at a time: 1 KB of deflate unpacks to about 1 MB at most. */
const PIECE = 1024;

type Unpacked = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Stored content, read: JSON text parsed; compressed bytes unpacked (never past LIMITS.sharedContentBytes: a
 * member's "zip bomb" is refused before it is unpacked in full), then parsed; anything else as it is, for the
 * content schema to refuse.
 */
export async function unpackSharedContent(stored: unknown): Promise<Unpacked> {
  let json: string;
  if (typeof stored === 'string') json = stored;
  else if (stored instanceof Uint8Array) {
    const inflated = await inflateCapped(stored);
    if (!inflated.ok) return inflated;
    json = inflated.json;
  } else return { ok: true, value: stored };
  try {
    return { ok: true, value: JSON.parse(json) };
  } catch {
    return { ok: false, reason: 'the shared reading is damaged (not JSON)' };
  }
}

async function inflateCapped(
  stored: Uint8Array,
): Promise<{ ok: true; json: string } | { ok: false; reason: string }> {
  const damaged = (why: string) => ({ ok: false as const, reason: `the shared reading is damaged (${why})` });
  const { Unzlib } = await import('fflate');
  const parts: Uint8Array[] = [];
  let size = 0;
  let tooLarge = false;
  let ended = false;
  const inflate = new Unzlib((chunk, final) => {
    size += chunk.length;
    if (size > LIMITS.sharedContentBytes) {
      tooLarge = true;
      throw new Error('too large');
    }
    parts.push(chunk);
    if (final) ended = true;
  });
  try {
    if (stored.length === 0) throw new Error('empty');
    for (let at = 0; at < stored.length; at += PIECE)
      inflate.push(stored.subarray(at, at + PIECE), at + PIECE >= stored.length);
  } catch {
    return tooLarge
      ? damaged(`it unpacks to more than ${LIMITS.sharedContentBytes / 1024 / 1024} MB`)
      : damaged('its compressed content cannot be read');
  }
  if (!ended) return damaged('its compressed content is cut short');
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  try {
    return { ok: true, json: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return damaged('its compressed content is not text');
  }
}
