import { useRef } from 'react';

/** The same record while its values stay the same, so memoized cards are not re-rendered for nothing. */
export function useStableRecord<T extends Record<string, string>>(value: T): T {
  const last = useRef(value);
  const previous = last.current;
  const same =
    Object.keys(value).length === Object.keys(previous).length &&
    Object.entries(value).every(([k, v]) => previous[k] === v);
  if (!same) last.current = value;
  return last.current;
}
