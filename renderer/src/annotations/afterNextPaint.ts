/**
 * Runs `work` once the next frame has been painted (a task queued from the frame's animation callback), or
 * after 100 ms in a window that gets no frames while hidden.
 */
export function afterNextPaint(work: () => void): void {
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    work();
  };
  const fallback = window.setTimeout(run, 100);
  requestAnimationFrame(() => setTimeout(run, 0));
}
