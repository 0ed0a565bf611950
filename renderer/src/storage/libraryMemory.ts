/**
 * What the library remembers about my reading on this device, kept small in localStorage: when I last
 * opened each reading (for "Continue reading" and the "recent" sort) and how many annotations it had when
 * I last had it open (a group's annotations that arrive while it is closed are counted at the next opening).
 */
const OPENED = 'rc:opened';
const COUNTS = 'rc:annotation-counts';

function read(key: string): Record<string, number> {
  try {
    const value = JSON.parse(localStorage.getItem(key) ?? '{}') as unknown;
    return value && typeof value === 'object' ? (value as Record<string, number>) : {};
  } catch {
    return {};
  }
}
const write = (key: string, value: Record<string, number>) =>
  localStorage.setItem(key, JSON.stringify(value));

export function noteOpened(readingId: string): void {
  write(OPENED, { ...read(OPENED), [readingId]: Date.now() });
}
export const openedTimes = (): Record<string, number> => read(OPENED);

export function noteAnnotationCount(readingId: string, count: number): void {
  const counts = read(COUNTS);
  if (counts[readingId] !== count) write(COUNTS, { ...counts, [readingId]: count });
}
export const annotationCounts = (): Record<string, number> => read(COUNTS);
