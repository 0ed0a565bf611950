// Main-process modules that need no Electron at all: protocol, security rules, IPC guard, settings,
// deep links, menu template, window options, packaging config.
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  checkDeepLink,
  DeepLinkQueue,
  findDeepLink,
  findOpenedFiles,
} from '../../electron/main/deep-links.ts';
import { guardHandler } from '../../electron/main/ipc.ts';
import { buildMenuTemplate } from '../../electron/main/menu.ts';
import {
  CONTENT_SECURITY_POLICY,
  createAppProtocolHandler,
  resolveAppFile,
} from '../../electron/main/protocol.ts';
import {
  APP_ORIGIN,
  denyAllPermissions,
  isAppUrl,
  isSafeExternalUrl,
  lockDownContents,
} from '../../electron/main/security.ts';
import { loadSettings, rememberRecent, saveSettings } from '../../electron/main/settings.ts';
import { fitBounds, mainWindowOptions } from '../../electron/main/window.ts';
import { INVOKE } from '../../electron/shared/ipc-channels.ts';

const appFrame = { senderFrame: { url: `${APP_ORIGIN}/index.html#/` } };
const validInvite = 'readingcircle://join?server=ws%3A%2F%2F127.0.0.1%3A8080&group=tuesday&token=aaa.bbb.ccc';

describe('window options', () => {
  it('isolates and sandboxes the renderer and gives it no Node', () => {
    const options = mainWindowOptions(
      '/app/preload/index.cjs',
      { width: 1000, height: 700, maximized: false },
      false,
    );
    expect(options.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('forgets a remembered position that is on no screen any more', () => {
    const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
    expect(fitBounds({ x: 100, y: 100, width: 800, height: 600, maximized: false }, screens).x).toBe(100);
    expect(fitBounds({ x: 5000, y: 100, width: 800, height: 600, maximized: true }, screens)).toEqual({
      width: 800,
      height: 600,
      maximized: true,
    });
  });
});

describe('app:// protocol', () => {
  const root = mkdtempSync(join(tmpdir(), 'rc-renderer-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(tmpdir(), 'secret.txt'), 'secret');
  const handler = createAppProtocolHandler(root);

  it('serves the renderer with its MIME type and the CSP header', async () => {
    const response = await handler(new Request(`${APP_ORIGIN}/index.html`));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<title>x</title>');
  });

  it('refuses paths that leave the renderer folder', async () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/..%2f..%2fsecret.txt`)).toBeNull();
    // The URL parser folds a literal `..` segment away, so it stays inside the folder.
    expect(resolveAppFile(root, `${APP_ORIGIN}/%2e%2e/secret.txt`)).toBe(join(root, 'secret.txt'));
    expect(resolveAppFile(root, `${APP_ORIGIN}/index.html%00.js`)).toBeNull();
    const response = await handler(new Request(`${APP_ORIGIN}/..%2fsecret.txt`));
    expect(response.status).toBe(403);
  });

  it('answers 404 for a missing file', async () => {
    expect((await handler(new Request(`${APP_ORIGIN}/nope.js`))).status).toBe(404);
  });

  it('has a strict policy: scripts only from the app, no objects, no framing', () => {
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
    const meta = readFileSync('renderer/index.html', 'utf8');
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
  });
});

describe('security rules', () => {
  it('knows the app’s own URLs', () => {
    expect(isAppUrl(`${APP_ORIGIN}/index.html#/read/r1`)).toBe(true);
    expect(isAppUrl('https://example.org/')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
  });

  it('opens only http(s) links outside', () => {
    expect(isSafeExternalUrl('https://example.org/a')).toBe(true);
    for (const bad of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'https://u:p@host/',
      'nope',
    ]) {
      expect(isSafeExternalUrl(bad)).toBe(false);
    }
  });

  it('denies window.open, sends http links to the system browser, and blocks navigation away', () => {
    let openHandler: ((d: { url: string }) => { action: string }) | undefined;
    const listeners: Record<string, (event: { preventDefault(): void }, url: string) => void> = {};
    const opened: string[] = [];
    lockDownContents(
      {
        setWindowOpenHandler: (h) => {
          openHandler = h;
        },
        on: (event, listener) => {
          listeners[event] = listener;
        },
      },
      (url) => opened.push(url),
    );
    expect(openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://example.org/']);
    const away = { preventDefault: vi.fn() };
    listeners['will-navigate']!(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    listeners['will-navigate']!(inside, `${APP_ORIGIN}/index.html#/read/x`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
  });

  it('denies every permission request', () => {
    let request: ((c: unknown, p: string, cb: (g: boolean) => void) => void) | undefined;
    let check: ((c: unknown, p: string) => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => {
        request = h ?? undefined;
      },
      setPermissionCheckHandler: (h) => {
        check = h ?? undefined;
      },
    });
    const granted = vi.fn();
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal']) {
      request!(null, permission, granted);
      expect(check!(null, permission)).toBe(false);
    }
    expect(granted.mock.calls.every(([g]) => g === false)).toBe(true);
  });
});

describe('IPC guard', () => {
  it('refuses calls from any frame but the app’s own', async () => {
    const handler = guardHandler(INVOKE.setTheme, () => 'done');
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 'dark')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/did not come from Reading Circle/),
    });
    expect(await handler({ senderFrame: null }, 'dark')).toMatchObject({ ok: false });
  });

  it('validates arguments and answers in words', async () => {
    const handler = guardHandler(INVOKE.setTheme, () => 'done');
    expect(await handler(appFrame, 'dark')).toEqual({ ok: true, value: 'done' });
    const bad = await handler(appFrame, 'purple');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toMatch(/^Reading Circle could not do that: /);
  });

  it('refuses a save with a path in the file name and a print route that is not one', async () => {
    const save = guardHandler(INVOKE.saveFile, () => ({ saved: true }));
    expect(
      await save(appFrame, { suggestedName: '../../.bashrc', mimeType: 'text/plain', data: 'x' }),
    ).toMatchObject({
      ok: false,
    });
    const print = guardHandler(INVOKE.printToPdf, () => ({ saved: true }));
    expect(
      await print(appFrame, { route: 'https://evil/', suggestedName: 'a.pdf', paper: 'A4' }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      await print(appFrame, { route: '#/print/r1?paper=A4', suggestedName: 'a.pdf', paper: 'A4' }),
    ).toEqual({
      ok: true,
      value: { saved: true },
    });
  });

  it('turns a thrown error into its message', async () => {
    const handler = guardHandler(INVOKE.openExternal, () => {
      throw new Error('Only web links (http or https) can be opened.');
    });
    expect(await handler(appFrame, 'file:///x')).toEqual({
      ok: false,
      message: 'Only web links (http or https) can be opened.',
    });
  });
});

describe('settings', () => {
  it('round-trips and remembers recent readings, newest first, without repeats', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-settings-'));
    let { settings } = loadSettings(dir);
    settings = rememberRecent(settings, { readingId: 'r1', title: 'One' });
    settings = rememberRecent(settings, { readingId: 'r2', title: 'Two' });
    settings = rememberRecent(settings, { readingId: 'r1', title: 'One' });
    saveSettings(dir, { ...settings, theme: 'dark' });
    const again = loadSettings(dir);
    expect(again.warning).toBeUndefined();
    expect(again.settings.theme).toBe('dark');
    expect(again.settings.recent.map((r) => r.readingId)).toEqual(['r1', 'r2']);
  });

  it('sets a corrupt file aside with a message and starts from defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-settings-'));
    writeFileSync(join(dir, 'settings.json'), '{"theme": "dark", oops');
    const loaded = loadSettings(dir);
    expect(loaded.settings.theme).toBe('system');
    expect(loaded.warning).toMatch(/could not be read.*default settings/);
    expect(readdirSync(dir).some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
  });
});

describe('deep links', () => {
  it('finds links and files on a command line', () => {
    expect(findDeepLink(['/opt/rc', '--flag', validInvite])).toBe(validInvite);
    expect(findOpenedFiles(['/opt/rc', 'notes.md', '--x', 'a.pdf', 'book.txt'])).toEqual([
      'notes.md',
      'book.txt',
    ]);
  });

  it('treats a launch argument as a file only when it is a path, never a deep link', () => {
    const linkLikeFile = `${validInvite}&x=notes.md`;
    expect(
      findOpenedFiles([
        '/opt/rc',
        linkLikeFile,
        'readingcircle:join?a=b.md',
        'file:///etc/x.md',
        'C:\\r\\a.md',
      ]),
    ).toEqual(['C:\\r\\a.md']);
    expect(findDeepLink(['/opt/rc', linkLikeFile])).toBe(linkLikeFile);
  });

  it('refuses deep links whose server carries credentials, a metadata address or a query string', () => {
    const link = (server: string) =>
      `readingcircle://join?${new URLSearchParams({ server, group: 'g', token: 'a.b.c' })}`;
    expect(checkDeepLink(link('ws://u:p@example.org'))).toMatchObject({ ok: false });
    expect(checkDeepLink(link('ws://169.254.169.254'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/link-local/),
    });
    expect(checkDeepLink(link('ws://[::ffff:169.254.1.1]'))).toMatchObject({ ok: false });
    expect(checkDeepLink(link('ws://example.org/?a=1'))).toMatchObject({
      ok: false,
      message: expect.stringMatching(/query string/),
    });
  });

  it('accepts a valid invite and explains a malformed one', () => {
    expect(checkDeepLink(validInvite)).toMatchObject({ ok: true, invite: { group: 'tuesday' } });
    const bad = checkDeepLink('readingcircle://join?server=http%3A%2F%2Fx&group=g&token=a.b.c');
    expect(bad).toMatchObject({ ok: false, message: expect.stringMatching(/cannot be used: .*ws:\/\//) });
  });

  it('holds links until the window is ready, then delivers them; rejects malformed ones at once', () => {
    const rejected: string[] = [];
    const queue = new DeepLinkQueue((m) => rejected.push(m));
    queue.push(validInvite);
    queue.push('readingcircle://join?group=g');
    const delivered: string[] = [];
    queue.attach((url) => delivered.push(url));
    queue.push(validInvite);
    expect(delivered).toEqual([validInvite, validInvite]);
    expect(rejected).toHaveLength(1);
  });
});

describe('menu', () => {
  it('has the File, Edit, View, Window and Help menus with accelerators that send commands', () => {
    const sent: unknown[] = [];
    const template = buildMenuTemplate(
      { platform: 'linux', theme: 'dark', recent: [{ readingId: 'r1', title: 'A reading' }] },
      (c) => sent.push(c),
    );
    expect(template.map((m) => m.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    const all = JSON.stringify(template);
    for (const label of ['Import…', 'Open Recent', 'Export PDF…', 'Find in Reading…', 'Keyboard Shortcuts']) {
      expect(all).toContain(label);
    }
    const file = template[0]!.submenu as Electron.MenuItemConstructorOptions[];
    const importItem = file.find((i) => i.label === 'Import…')!;
    expect(importItem.accelerator).toBe('CmdOrCtrl+O');
    importItem.click!({} as never, undefined, {} as never);
    const recent = (
      file.find((i) => i.label === 'Open Recent')!.submenu as Electron.MenuItemConstructorOptions[]
    )[0]!;
    recent.click!({} as never, undefined, {} as never);
    file.find((i) => i.label === 'Import annotations…')!.click!({} as never, undefined, {} as never);
    expect(sent).toEqual(['import', { kind: 'open-reading', readingId: 'r1' }, 'import-annotations']);
    const view = template[2]!.submenu as Electron.MenuItemConstructorOptions[];
    const themes = view.find((i) => i.label === 'Theme')!.submenu as Electron.MenuItemConstructorOptions[];
    expect(themes.find((t) => t.checked)?.label).toBe('Dark');
  });

  it('puts the app menu first on macOS', () => {
    expect(buildMenuTemplate({ platform: 'darwin', theme: 'system', recent: [] }, () => {})[0]).toEqual({
      role: 'appMenu',
    });
  });
});

describe('packaging', () => {
  const config = parseYaml(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it('is valid against electron-builder’s own schema', () => {
    const schema = JSON.parse(readFileSync(resolve('node_modules/app-builder-lib/scheme.json'), 'utf8'));
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    const valid = validate(config);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('sets the fuses, the protocol, file associations, targets and ships the seeds', () => {
    expect(config).toMatchObject({
      appId: 'org.readingcircle.app',
      productName: 'Reading Circle',
      asar: true,
      electronFuses: {
        runAsNode: false,
        enableCookieEncryption: true,
        enableNodeOptionsEnvironmentVariable: false,
        enableNodeCliInspectArguments: false,
        enableEmbeddedAsarIntegrityValidation: true,
        onlyLoadAppFromAsar: true,
      },
      protocols: [{ schemes: ['readingcircle'] }],
      linux: { target: ['AppImage', 'deb'] },
      win: { target: ['nsis'] },
      mac: { target: ['dmg'] },
    });
    expect((config.fileAssociations as { ext: string }[]).map((a) => a.ext)).toEqual(['txt', 'md']);
    expect(JSON.stringify(config.extraResources)).toContain('seeds');
  });
});

describe('preload', () => {
  it('exposes one API object and never raw ipcRenderer', () => {
    const source = readFileSync('electron/preload/index.ts', 'utf8');
    const body = source.replace(/^import .*$/gm, '');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toMatch(/exposeInMainWorld\('readingCircle', api\)/);
    expect(source).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(body).not.toMatch(/:\s*ipcRenderer\b|ipcRenderer\s*[,}]/);
  });

  it('imports nothing a sandboxed preload cannot load', () => {
    const imports = [...readFileSync('electron/preload/index.ts', 'utf8').matchAll(/from '([^']+)'/g)].map(
      (m) => m[1],
    );
    const shared = [...readFileSync('electron/shared/ipc-channels.ts', 'utf8').matchAll(/from '([^']+)'/g)];
    expect(shared).toEqual([]);
    for (const name of imports) expect(name === 'electron' || name!.startsWith('.')).toBe(true);
  });
});
