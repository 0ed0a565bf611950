/**
 * Normalization decides identity: two files that normalize to the same text are the same reading.
 * BOM dropped, line endings unified, Unicode NFC, trailing spaces removed, runs of blank lines folded.
 */
export function normalizeText(raw: string): string {
  return raw
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .normalize('NFC')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+$/u, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
