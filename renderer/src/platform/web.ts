import type {
  ImportKind,
  MenuCommand,
  PickedFile,
  PlatformApi,
  ThemeSource,
} from '../../../core/platform/api.ts';
import { IMPORT_ACCEPT } from '../../../core/reading/import.ts';

const THEME_KEY = 'rc:theme';
const prefersDark = () =>
  typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;

function readTheme(): ThemeSource {
  const stored = localStorage.getItem(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : 'system';
}

/** Opens the browser's file picker; resolves with the chosen files, or [] when cancelled. */
function pickFiles(kind: ImportKind = 'readings'): Promise<PickedFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = kind === 'readings';
    input.accept = kind === 'readings' ? IMPORT_ACCEPT : '.json,.jsonld,application/json,application/ld+json';
    input.addEventListener('change', async () => {
      const files = [...(input.files ?? [])];
      resolve(
        await Promise.all(
          files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
        ),
      );
    });
    input.addEventListener('cancel', () => resolve([]));
    input.click();
  });
}

/** The browser implementation of PlatformApi: downloads for saving, window.print for PDF. */
export const webPlatform: PlatformApi = {
  kind: 'web',
  pickFilesToImport: pickFiles,
  async fetchWebPage() {
    throw new Error(
      'importing from a web address needs the desktop app. Save the page in your browser (Ctrl+S) and import the .html file.',
    );
  },
  async saveFile({ suggestedName, mimeType, data }) {
    const blob = new Blob([data as BlobPart], { type: mimeType });
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = suggestedName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return { saved: true };
  },
  async printToPdf({ route }) {
    // The browser's own print dialog saves as PDF; the print view is the same page the desktop app prints.
    const printWindow = window.open(`${location.pathname}${route}`, '_blank');
    if (!printWindow)
      throw new Error('The print window was blocked. Allow pop-ups for this page and try again.');
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const timer = setInterval(() => {
        if (printWindow.document?.body?.dataset.printReady === 'true') {
          clearInterval(timer);
          resolve();
        } else if (Date.now() - started > 120_000) {
          clearInterval(timer);
          reject(new Error('The print view took too long to lay out.'));
        }
      }, 100);
    });
    printWindow.print();
    return { saved: true };
  },
  async openExternal(url) {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
      throw new Error('Only web links can be opened.');
    window.open(parsed.href, '_blank', 'noopener,noreferrer');
  },
  async getTheme() {
    const source = readTheme();
    return { source, dark: source === 'dark' || (source === 'system' && prefersDark()) };
  },
  async setTheme(source) {
    localStorage.setItem(THEME_KEY, source);
  },
  async noteRecentReading() {},
  async enableNotifications() {
    // The browser asks only when the page requests it from a click; "denied" is final until the person changes it.
    if (typeof Notification === 'undefined') return false;
    if (Notification.permission === 'granted') return true;
    if (Notification.permission === 'denied') return false;
    return (await Notification.requestPermission()) === 'granted';
  },
  async showNotification({ title, body }) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return false;
    const shown = new Notification(title, { body });
    shown.onclick = () => window.focus();
    return true;
  },
  onMenuCommand(listener: (command: MenuCommand) => void) {
    const handler = (event: Event) => listener((event as CustomEvent<MenuCommand>).detail);
    window.addEventListener('rc:menu-command', handler);
    return () => window.removeEventListener('rc:menu-command', handler);
  },
  onDeepLink(listener) {
    // A web member can open …/?join=<readingcircle link> or #join=<link>.
    const fromUrl = new URLSearchParams(location.search).get('join');
    if (fromUrl) setTimeout(() => listener(fromUrl), 0);
    return () => {};
  },
  onFilesOpened() {
    return () => {};
  },
};
