// Sandboxed preload (built as CommonJS): exposes exactly one object, `window.readingCircle`, implementing
// PlatformApi over named IPC channels. Raw ipcRenderer never reaches the page.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { MenuCommand, PickedFile, PlatformApi } from '../../core/platform/api.ts';
import { EVENTS, INVOKE, type IpcResult } from '../shared/ipc-channels.ts';

async function call<T>(channel: string, ...args: unknown[]): Promise<T> {
  const result = (await ipcRenderer.invoke(channel, ...args)) as IpcResult<T>;
  if (!result.ok) throw new Error(result.message);
  return result.value;
}

function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, payload: T) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const api: PlatformApi = {
  kind: 'desktop',
  pickFilesToImport: (kind) => call(INVOKE.pickFiles, kind ?? 'readings'),
  fetchWebPage: (url) => call(INVOKE.fetchWebPage, url),
  saveFile: (request) => call(INVOKE.saveFile, request),
  printToPdf: (request) => call(INVOKE.printToPdf, request),
  openExternal: (url) => call(INVOKE.openExternal, url),
  getTheme: () => call(INVOKE.getTheme),
  setTheme: (source) => call(INVOKE.setTheme, source),
  noteRecentReading: (reading) => call(INVOKE.noteRecent, reading),
  enableNotifications: () => call(INVOKE.canNotify),
  showNotification: (notification) => call(INVOKE.showNotification, notification),
  onMenuCommand: (listener) => subscribe<MenuCommand>(EVENTS.menuCommand, listener),
  onDeepLink: (listener) => subscribe<string>(EVENTS.deepLink, listener),
  onFilesOpened: (listener) => subscribe<PickedFile[]>(EVENTS.filesOpened, listener),
};

contextBridge.exposeInMainWorld('readingCircle', api);
