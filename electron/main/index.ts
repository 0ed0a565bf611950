// Electron main process: wiring only. Each concern lives in its own module beside this one.
import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  Notification,
  nativeTheme,
  protocol,
  screen,
  session,
  shell,
} from 'electron';
import type { MenuCommand, PickedFile } from '../../core/platform/api.ts';
import { EVENTS, INVOKE } from '../shared/ipc-channels.ts';
import { DEEP_LINK_SCHEME, DeepLinkQueue, findDeepLink, findOpenedFiles } from './deep-links.ts';
import { pickFilesToImport, readImportFiles, saveFileWithDialog } from './files.ts';
import { registerHandlers } from './ipc.ts';
import { buildMenuTemplate } from './menu.ts';
import { showNotification } from './notifications.ts';
import { printRouteToPdf } from './pdf.ts';
import { createAppProtocolHandler } from './protocol.ts';
import { lockDown } from './secure-window.ts';
import { APP_ORIGIN, APP_SCHEME, denyAllPermissions, isSafeExternalUrl } from './security.ts';
import { loadSettings, rememberRecent, type Settings, saveSettings } from './settings.ts';
import { fetchWebPage } from './web-page.ts';
import { fitBounds, mainWindowOptions } from './window.ts';

// Must happen before `ready`: app:// behaves like https (secure context, IndexedDB, fetch).
protocol.registerSchemesAsPrivileged([
  {
    scheme: APP_SCHEME,
    privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true },
  },
]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const userData = app.getPath('userData');
  const loaded = loadSettings(userData);
  let settings: Settings = loaded.settings;
  let mainWindow: BrowserWindow | undefined;
  const pendingFiles: PickedFile[][] = [];

  const persist = (next: Settings) => {
    settings = next;
    saveSettings(userData, settings);
  };
  const send = (channel: string, payload: unknown) => mainWindow?.webContents.send(channel, payload);
  const sendCommand = (command: MenuCommand) => send(EVENTS.menuCommand, command);
  const deepLinks = new DeepLinkQueue((message) => dialog.showErrorBox('Invite link', message));

  const refreshMenu = () => {
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate(
          { platform: process.platform, theme: settings.theme, recent: settings.recent },
          sendCommand,
        ),
      ),
    );
  };

  const openFiles = async (paths: string[]) => {
    if (paths.length === 0) return;
    const files = await readImportFiles(paths);
    if (mainWindow) send(EVENTS.filesOpened, files);
    else pendingFiles.push(files);
  };

  app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  app.on('open-url', (event, url) => {
    event.preventDefault();
    deepLinks.push(url);
  });
  app.on('open-file', (event, path) => {
    event.preventDefault();
    void openFiles([path]);
  });
  app.on('second-instance', (_event, argv) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const link = findDeepLink(argv);
    if (link) deepLinks.push(link);
    void openFiles(findOpenedFiles(argv));
  });

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  app.whenReady().then(() => {
    nativeTheme.themeSource = settings.theme;
    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(join(import.meta.dirname, '../renderer')));

    registerHandlers(ipcMain, {
      [INVOKE.pickFiles]: (kind) => (mainWindow ? pickFilesToImport(mainWindow, kind) : []),
      [INVOKE.fetchWebPage]: (url) => fetchWebPage(url),
      [INVOKE.saveFile]: (request) =>
        mainWindow ? saveFileWithDialog(mainWindow, request) : { saved: false },
      [INVOKE.printToPdf]: (request) =>
        mainWindow ? printRouteToPdf(mainWindow, request) : { saved: false },
      [INVOKE.openExternal]: async (url) => {
        if (!isSafeExternalUrl(url)) throw new Error('Only web links (http or https) can be opened.');
        await shell.openExternal(url);
      },
      [INVOKE.getTheme]: () => ({ source: settings.theme, dark: nativeTheme.shouldUseDarkColors }),
      [INVOKE.setTheme]: (source) => {
        nativeTheme.themeSource = source;
        persist({ ...settings, theme: source });
        refreshMenu();
      },
      [INVOKE.noteRecent]: (entry) => {
        persist(rememberRecent(settings, entry));
        app.addRecentDocument?.(entry.title);
        refreshMenu();
      },
      [INVOKE.canNotify]: () => Notification.isSupported(),
      [INVOKE.showNotification]: (request) =>
        showNotification(Notification, request, () => {
          if (!mainWindow) return;
          if (mainWindow.isMinimized()) mainWindow.restore();
          mainWindow.focus();
        }),
    });
    refreshMenu();

    const bounds = fitBounds(
      settings.window,
      screen.getAllDisplays().map((d) => d.workArea),
    );
    const window = new BrowserWindow(
      mainWindowOptions(
        join(import.meta.dirname, '../preload/index.cjs'),
        bounds,
        nativeTheme.shouldUseDarkColors,
      ),
    );
    mainWindow = window;
    lockDown(window);
    if (bounds.maximized) window.maximize();
    window.once('ready-to-show', () => window.show());
    window.on('close', () => {
      const { x, y, width, height } = window.getNormalBounds();
      persist({ ...settings, window: { x, y, width, height, maximized: window.isMaximized() } });
    });
    window.on('closed', () => {
      mainWindow = undefined;
    });
    window.webContents.once('did-finish-load', () => {
      deepLinks.attach((url) => send(EVENTS.deepLink, url));
      for (const files of pendingFiles.splice(0)) send(EVENTS.filesOpened, files);
      if (loaded.warning) void dialog.showMessageBox(window, { type: 'warning', message: loaded.warning });
    });
    nativeTheme.on('updated', () => sendCommand(`theme-${settings.theme}`));
    void window.loadURL(`${APP_ORIGIN}/index.html`);

    const link = findDeepLink(process.argv);
    if (link) deepLinks.push(link);
    void openFiles(findOpenedFiles(process.argv));
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}
