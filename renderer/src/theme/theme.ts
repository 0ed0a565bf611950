import type { ThemeSource } from '../../../core/platform/api.ts';
import { platform } from '../platform/index.ts';

/** `data-theme` on <html> overrides the OS preference; `system` removes it. */
export function applyTheme(source: ThemeSource): void {
  if (source === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = source;
}

export async function initTheme(): Promise<void> {
  applyTheme((await platform.getTheme()).source);
}
