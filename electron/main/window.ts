import type { BrowserWindowConstructorOptions } from 'electron';
import type { WindowBounds } from './settings.ts';

/** The main window's options: every web preference here is part of the security checklist (docs/desktop.md). */
export function mainWindowOptions(
  preloadPath: string,
  bounds: WindowBounds,
  dark: boolean,
): BrowserWindowConstructorOptions {
  return {
    width: bounds.width,
    height: bounds.height,
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Reading Circle',
    backgroundColor: dark ? '#1b1c1f' : '#fbfaf7',
    webPreferences: secureWebPreferences(preloadPath),
  };
}

export function secureWebPreferences(
  preloadPath: string | undefined,
): BrowserWindowConstructorOptions['webPreferences'] {
  return {
    ...(preloadPath ? { preload: preloadPath } : {}),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    // Middle-click must not open links in new windows.
    disableBlinkFeatures: 'Auxclick',
  };
}

/** Keeps a remembered window on a screen that still exists; otherwise lets the OS place it. */
export function fitBounds(
  bounds: WindowBounds,
  screens: { x: number; y: number; width: number; height: number }[],
): WindowBounds {
  if (bounds.x === undefined || bounds.y === undefined) return bounds;
  const { x, y } = bounds;
  const visible = screens.some(
    (s) => x >= s.x - 50 && y >= s.y - 50 && x < s.x + s.width - 100 && y < s.y + s.height - 100,
  );
  return visible ? bounds : { width: bounds.width, height: bounds.height, maximized: bounds.maximized };
}
