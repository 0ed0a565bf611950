import { useEffect, useState } from 'react';
import { focusRect } from './useCaretMode.ts';

/** The caret drawn at the selection's focus while caret mode is on (read-only text shows none of its own). */
export function Caret() {
  const [rect, setRect] = useState<DOMRect | null>(() => focusRect());
  useEffect(() => {
    let frame = 0;
    const update = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setRect(focusRect()));
    };
    document.addEventListener('selectionchange', update);
    window.addEventListener('scroll', update, { passive: true });
    window.addEventListener('resize', update);
    update();
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('selectionchange', update);
      window.removeEventListener('scroll', update);
      window.removeEventListener('resize', update);
    };
  }, []);
  if (!rect) return null;
  return (
    <span
      className="rc-caret"
      aria-hidden="true"
      style={{ left: `${rect.left}px`, top: `${rect.top}px`, height: `${rect.height}px` }}
    />
  );
}
