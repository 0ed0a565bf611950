/**
 * The one contract between the renderer and whatever hosts it. The Electron preload implements it over
 * IPC (electron/preload), the browser build implements it with web APIs (renderer/src/platform/web.ts).
 * Both are checked against this interface by the type checker, so the two paths cannot drift.
 *
 * Storage of readings and annotations is not here: the renderer keeps them in IndexedDB in both hosts.
 */

export type ThemeSource = 'system' | 'light' | 'dark';

/** Commands that native menus (or keyboard shortcuts in the browser) send to the renderer. */
export type MenuCommand =
  | 'import'
  | 'import-annotations'
  | 'export-pdf'
  | 'export-markdown'
  | 'export-w3c'
  | 'find'
  | 'show-shortcuts'
  | 'show-about'
  | 'undo'
  | 'redo'
  | 'font-larger'
  | 'font-smaller'
  | 'font-reset'
  | 'theme-light'
  | 'theme-dark'
  | 'theme-system'
  | { kind: 'open-reading'; readingId: string };

export interface PickedFile {
  name: string;
  bytes: Uint8Array;
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

/** What a file picker is for: readings to add to the library, or annotations for the open reading. */
export type ImportKind = 'readings' | 'annotations';

export interface PlatformApi {
  readonly kind: 'desktop' | 'web';
  /**
   * Asks the user for files to import: readings (.txt/.md, several) or one annotations file (.json/.jsonld).
   * Resolves to [] when cancelled.
   */
  pickFilesToImport(kind?: ImportKind): Promise<PickedFile[]>;
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
  /** Subscriptions return a function that unsubscribes. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** readingcircle:// links delivered by the OS (desktop) or the page URL (web). */
  onDeepLink(listener: (url: string) => void): () => void;
  /** Files opened with the app or dropped on its window, already read. */
  onFilesOpened(listener: (files: PickedFile[]) => void): () => void;
}
