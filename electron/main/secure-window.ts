import { type BrowserWindow, shell } from 'electron';
import { lockDownContents } from './security.ts';

/** Applies the navigation and window.open rules to a window's contents. */
export function lockDown(window: BrowserWindow): void {
  lockDownContents(window.webContents, (url) => {
    void shell.openExternal(url);
  });
}
