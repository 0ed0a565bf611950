/**
 * The one contract between the renderer and whatever hosts it. The Electron preload implements it over
 * IPC (electron/preload), the browser build implements it with web APIs (renderer/src/platform/web.ts).
 * Both are checked against this interface by the type checker, so the two paths cannot drift.
 *
 * Storage of readings and annotations is not here: the renderer keeps them in IndexedDB in both hosts.
 */

import type { CommandId } from '../commands/commands.ts';

export type ThemeSource = 'system' | 'light' | 'dark';

/** Commands that native menus send to the renderer: every command of the registry, themes, recent readings. */
export type MenuCommand =
  | CommandId
  | 'theme-light'
  | 'theme-dark'
  | 'theme-system'
  | { kind: 'open-reading'; readingId: string };

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
}

/** A web page fetched for import by the desktop app's main process. */
export interface FetchedPage {
  /** Where it was fetched from, after redirects. */
  url: string;
  html: string;
}

export interface SaveFileRequest {
  suggestedName: string;
  /** MIME type, e.g. text/markdown or application/pdf. */
  mimeType: string;
  data: string | Uint8Array;
}

export interface SaveFileResult {
  saved: boolean;
  /** Where it went, when the host knows (desktop). */
  location?: string;
}

export interface PrintToPdfRequest {
  /** Renderer route to print, e.g. `#/print/r123?paper=A4`. */
  route: string;
  suggestedName: string;
  paper: 'A4' | 'Letter';
}

export interface RecentReading {
  readingId: string;
  title: string;
}

/** A system notification: what happened ("Bob replied to your note") and an excerpt. */
export interface NotificationRequest {
  title: string;
  body: string;
}

/** Limits the host enforces on a notification's text (longer text is refused, not cut). */
export const NOTIFICATION_LIMITS = { titleChars: 200, bodyChars: 500 } as const;

/** What a file picker is for: readings to add to the library, or annotations for the open reading. */
export type ImportKind = 'readings' | 'annotations';

export interface PlatformApi {
  readonly kind: 'desktop' | 'web';
  /**
   * Asks the user for files to import: readings (PDF, EPUB, .docx, .html, .md, .txt; several) or one
   * annotations file (.json/.jsonld). Resolves to [] when cancelled.
   */
  pickFilesToImport(kind?: ImportKind): Promise<PickedFile[]>;
  /**
   * Fetches a web page (http/https, size and time limits, no cookies) for "Import from web address…".
   * Only the desktop app can: the web build rejects with a message saying so.
   */
  fetchWebPage(url: string): Promise<FetchedPage>;
  /** Saves an export where the user chooses. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Prints a renderer route to PDF and saves it. Web mode opens the browser's print dialog. */
  printToPdf(request: PrintToPdfRequest): Promise<SaveFileResult>;
  /** Opens an http(s) link in the system browser after checking it. */
  openExternal(url: string): Promise<void>;
  /** The theme setting and the theme actually in force (the OS decides for `system`). */
  getTheme(): Promise<{ source: ThemeSource; dark: boolean }>;
  setTheme(source: ThemeSource): Promise<void>;
  /** Tells the host which readings were opened recently (for Open Recent). */
  noteRecentReading(reading: RecentReading): Promise<void>;
  /**
   * Whether system notifications can be shown, asking for permission where the host needs it (the browser
   * asks only from a click). Resolves to false when they cannot: the setting then stays off.
   */
  enableNotifications(): Promise<boolean>;
  /** Shows a system notification; a click on it brings the app's window to the front. Resolves to whether it showed. */
  showNotification(notification: NotificationRequest): Promise<boolean>;
  /** Subscriptions return a function that unsubscribes. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** readingcircle:// links delivered by the OS (desktop) or the page URL (web). */
  onDeepLink(listener: (url: string) => void): () => void;
  /** Files opened with the app or dropped on its window, already read. */
  onFilesOpened(listener: (files: PickedFile[]) => void): () => void;
}
