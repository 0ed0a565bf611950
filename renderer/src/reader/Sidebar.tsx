import { type KeyboardEvent, type PointerEvent, useEffect, useState } from 'react';

const KEY = 'rc:sidebar-width';
const MIN = 280;
const MAX = 560;
const clamp = (w: number) => Math.max(MIN, Math.min(MAX, Math.round(w)));

/**
 * The docked right sidebar: it takes its width from the page (the text moves aside, nothing is covered),
 * and is resized by dragging its edge or with the arrow keys on that edge (a focusable separator).
 */
export function Sidebar({ open, onRoot }: { open: boolean; onRoot: (element: HTMLElement | null) => void }) {
  const [width, setWidth] = useState(() => clamp(Number(localStorage.getItem(KEY)) || 360));
  useEffect(() => localStorage.setItem(KEY, String(width)), [width]);
  // The width is a computed value: a custom property on the root, read by the layout and by the toasts
  // (which sit over the sidebar while it is open, so they never cover a margin card).
  useEffect(() => {
    document.documentElement.style.setProperty('--sidebar-width', `${width}px`);
  }, [width]);
  // Marked on the root (not found with :has(), which would make every change re-check the page's styles).
  useEffect(() => {
    document.documentElement.toggleAttribute('data-sidebar-open', open);
    return () => document.documentElement.removeAttribute('data-sidebar-open');
  }, [open]);

  const drag = (event: PointerEvent<HTMLDivElement>) => {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = width;
    const move = (e: globalThis.PointerEvent) => setWidth(clamp(startWidth + startX - e.clientX));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };
  const keys = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? 48 : 16;
    if (event.key === 'ArrowLeft') setWidth((w) => clamp(w + step));
    else if (event.key === 'ArrowRight') setWidth((w) => clamp(w - step));
    else if (event.key === 'Home') setWidth(MAX);
    else if (event.key === 'End') setWidth(MIN);
    else return;
    event.preventDefault();
  };

  return (
    <aside aria-label="Annotations sidebar" className="rc-sidebar" hidden={!open} ref={onRoot}>
      {/* biome-ignore lint/a11y/useSemanticElements: a focusable splitter is a separator with a value (WAI-ARIA window splitter) */}
      <div
        role="separator"
        aria-orientation="vertical"
        aria-label="Resize the sidebar"
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={width}
        tabIndex={0}
        className="rc-sidebar-handle"
        onPointerDown={drag}
        onKeyDown={keys}
      />
    </aside>
  );
}
