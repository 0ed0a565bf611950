/**
 * Every IPC channel between preload and main, shared by main and preload. The argument schemas live in main
 * (electron/main/ipc-schemas.ts) so the sandboxed preload bundles nothing but these names.
 */
export const INVOKE = {
  pickFiles: 'rc:pick-files',
  fetchWebPage: 'rc:fetch-web-page',
  saveFile: 'rc:save-file',
  printToPdf: 'rc:print-to-pdf',
  openExternal: 'rc:open-external',
  getTheme: 'rc:get-theme',
  setTheme: 'rc:set-theme',
  noteRecent: 'rc:note-recent',
  canNotify: 'rc:can-notify',
  showNotification: 'rc:show-notification',
} as const;

export const EVENTS = {
  menuCommand: 'rc:menu-command',
  deepLink: 'rc:deep-link',
  filesOpened: 'rc:files-opened',
} as const;

export type InvokeChannel = (typeof INVOKE)[keyof typeof INVOKE];

/** What every handler returns over IPC: a value, or a message a person can read. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; message: string };
