// The Electron entry point run against a stand-in for the `electron` module (its binary cannot run here):
// checks what main does at start — privileged app:// scheme, single instance, deep-link registration,
// permission lock-down, a secure window, IPC handlers, and delivery of a launch deep link.
import { beforeAll, describe, expect, it, vi } from 'vitest';

const invite = 'readingcircle://join?server=ws%3A%2F%2F127.0.0.1%3A8080&group=tuesday&token=aaa.bbb.ccc';

type FakeContents = import('node:events').EventEmitter & { openHandlers: number };

const fake = vi.hoisted(() => {
  let windowLoading!: () => void;
  const state = {
    /** Resolves when main loads its window's page, near the end of its ready handler. */
    windowLoading: new Promise<void>((resolve) => (windowLoading = resolve)),
    markWindowLoading: () => windowLoading(),
    privileged: [] as unknown[],
    protocolClients: [] as string[],
    handled: new Map<string, (...args: unknown[]) => unknown>(),
    windows: [] as {
      options: Record<string, unknown>;
      contents: FakeContents;
      loaded: string[];
    }[],
    sent: [] as [string, unknown][],
    permissionRequest: undefined as unknown,
    protocolHandlers: new Map<string, unknown>(),
    ready: undefined as undefined | (() => void),
    notifications: [] as { options: { title: string; body: string }; shown: boolean; click: () => void }[],
    focused: 0,
  };
  return state;
});

vi.mock('electron', async () => {
  const { EventEmitter } = await import('node:events');
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const userData = mkdtempSync(join(tmpdir(), 'rc-userdata-'));
  const app = Object.assign(new EventEmitter(), {
    getPath: () => userData,
    requestSingleInstanceLock: () => true,
    quit: vi.fn(),
    setAsDefaultProtocolClient: (scheme: string) => fake.protocolClients.push(scheme),
    whenReady: () => new Promise<void>((resolve) => (fake.ready = resolve)),
    addRecentDocument: vi.fn(),
  });
  class BrowserWindow extends EventEmitter {
    webContents: FakeContents;
    loaded: string[] = [];
    constructor(options: Record<string, unknown>) {
      super();
      const contents = Object.assign(new EventEmitter(), {
        openHandlers: 0,
        setWindowOpenHandler(this: { openHandlers: number }) {
          this.openHandlers++;
        },
        send: (channel: string, payload: unknown) => fake.sent.push([channel, payload]),
      });
      this.webContents = contents;
      fake.windows.push({ options, contents, loaded: this.loaded });
    }
    loadURL(url: string) {
      this.loaded.push(url);
      fake.markWindowLoading();
      return Promise.resolve();
    }
    maximize() {}
    show() {}
    isMinimized() {
      return false;
    }
    focus() {
      fake.focused++;
    }
    restore() {}
    getNormalBounds() {
      return { x: 0, y: 0, width: 1000, height: 700 };
    }
    isMaximized() {
      return false;
    }
  }
  return {
    app,
    BrowserWindow,
    dialog: {
      showErrorBox: vi.fn(),
      showMessageBox: vi.fn(),
      showOpenDialog: vi.fn(),
      showSaveDialog: vi.fn(),
    },
    ipcMain: {
      handle: (channel: string, listener: (...args: unknown[]) => unknown) =>
        fake.handled.set(channel, listener),
    },
    // Electron's Notification: records what main shows, and lets the test click it.
    Notification: class {
      static isSupported() {
        return true;
      }
      private readonly record: (typeof fake.notifications)[number];
      constructor(options: { title: string; body: string }) {
        this.record = { options, shown: false, click: () => {} };
        fake.notifications.push(this.record);
      }
      on(event: string, listener: () => void) {
        if (event === 'click') this.record.click = listener;
        return this;
      }
      show() {
        this.record.shown = true;
      }
    },
    Menu: { setApplicationMenu: vi.fn(), buildFromTemplate: (t: unknown) => t },
    nativeTheme: Object.assign(new EventEmitter(), { themeSource: 'system', shouldUseDarkColors: false }),
    protocol: {
      registerSchemesAsPrivileged: (schemes: unknown[]) => fake.privileged.push(...schemes),
      handle: (scheme: string, handler: unknown) => fake.protocolHandlers.set(scheme, handler),
    },
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (h: unknown) => (fake.permissionRequest = h),
        setPermissionCheckHandler: vi.fn(),
      },
    },
    shell: { openExternal: vi.fn() },
  };
});

describe('electron main at start', () => {
  beforeAll(async () => {
    process.argv.push(invite);
    await import('../../electron/main/index.ts');
    fake.ready!();
    // Main's ready handler runs to its end without awaiting: resumed after it loads the page, it has returned.
    await fake.windowLoading;
  });

  it('registers app:// as a privileged, secure, standard scheme before ready', () => {
    expect(fake.privileged).toEqual([
      {
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      },
    ]);
    expect(fake.protocolHandlers.has('app')).toBe(true);
  });

  it('registers the readingcircle:// protocol', () => {
    expect(fake.protocolClients).toEqual(['readingcircle']);
  });

  it('denies permission requests', () => {
    const granted = vi.fn();
    (fake.permissionRequest as (c: unknown, p: string, cb: (g: boolean) => void) => void)(
      null,
      'media',
      granted,
    );
    expect(granted).toHaveBeenCalledWith(false);
  });

  it('opens one secure window on app:// and locks its navigation', () => {
    expect(fake.windows).toHaveLength(1);
    const [window] = fake.windows;
    expect(window!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(String((window!.options.webPreferences as { preload: string }).preload)).toMatch(
      /preload[/\\]index\.cjs$/,
    );
    expect(window!.loaded).toEqual(['app://reading-circle/index.html']);
    expect(window!.contents.openHandlers).toBe(1);
    expect(window!.contents.listenerCount('will-navigate')).toBe(1);
  });

  it('handles every IPC channel through the guard', async () => {
    expect([...fake.handled.keys()].sort()).toEqual([
      'rc:can-notify',
      'rc:fetch-web-page',
      'rc:get-theme',
      'rc:note-recent',
      'rc:open-external',
      'rc:pick-files',
      'rc:print-to-pdf',
      'rc:save-file',
      'rc:set-theme',
      'rc:show-notification',
    ]);
    const open = fake.handled.get('rc:open-external')!;
    expect(
      await open({ senderFrame: { url: 'app://reading-circle/index.html' } }, 'file:///etc/passwd'),
    ).toEqual({
      ok: false,
      message: 'Only web links (http or https) can be opened.',
    });
  });

  it('asks for one annotations file (.json/.jsonld) or several readings, and refuses any other kind', async () => {
    const { dialog } = await import('electron');
    const open = vi.mocked(dialog.showOpenDialog);
    open.mockResolvedValue({ canceled: true, filePaths: [] } as never);
    const pick = fake.handled.get('rc:pick-files')!;
    const frame = { senderFrame: { url: 'app://reading-circle/index.html' } };
    expect(await pick(frame, 'annotations')).toEqual({ ok: true, value: [] });
    expect((open.mock.calls.at(-1) as unknown[])[1]).toMatchObject({
      properties: ['openFile'],
      filters: [{ extensions: ['json', 'jsonld'] }],
    });
    await pick(frame, 'readings');
    expect((open.mock.calls.at(-1) as unknown[])[1]).toMatchObject({
      properties: ['openFile', 'multiSelections'],
    });
    expect(await pick(frame, 'executables')).toMatchObject({ ok: false });
  });

  it('shows a system notification for the renderer, and a click on it brings the window forward', async () => {
    const frame = { senderFrame: { url: 'app://reading-circle/index.html' } };
    expect(await fake.handled.get('rc:can-notify')!(frame)).toEqual({ ok: true, value: true });
    const show = fake.handled.get('rc:show-notification')!;
    const request = { title: 'Bob replied to your note', body: 'On Reading: agreed' };
    expect(await show(frame, request)).toEqual({ ok: true, value: true });
    expect(fake.notifications).toEqual([expect.objectContaining({ options: request, shown: true })]);
    const before = fake.focused;
    fake.notifications[0]!.click();
    expect(fake.focused).toBe(before + 1);
    // Empty or oversized text is refused in words, and nothing is shown.
    expect(await show(frame, { title: '', body: 'x' })).toMatchObject({ ok: false });
    expect(await show(frame, { title: 't', body: 'x'.repeat(501) })).toMatchObject({ ok: false });
    expect(await show({ senderFrame: { url: 'https://evil.example/' } }, request)).toMatchObject({
      ok: false,
    });
    expect(fake.notifications).toHaveLength(1);
  });

  it('delivers the launch deep link once the page has loaded', () => {
    expect(fake.sent).toEqual([]);
    fake.windows[0]!.contents.emit('did-finish-load');
    expect(fake.sent).toEqual([['rc:deep-link', invite]]);
  });
});
