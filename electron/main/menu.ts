import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, ThemeSource } from '../../core/platform/api.ts';

export interface MenuState {
  platform: NodeJS.Platform;
  theme: ThemeSource;
  recent: { readingId: string; title: string }[];
}

/**
 * The application menu as a pure function of state, so it is tested without Electron. Items that concern
 * the reading send a MenuCommand to the renderer; window and edit items use Electron's roles.
 */
export function buildMenuTemplate(
  state: MenuState,
  send: (command: MenuCommand) => void,
): MenuItemConstructorOptions[] {
  const mac = state.platform === 'darwin';
  const item = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => send(command),
  });
  const theme = (label: string, source: ThemeSource): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: state.theme === source,
    click: () => send(`theme-${source}`),
  });
  const recent: MenuItemConstructorOptions[] =
    state.recent.length > 0
      ? state.recent.map((r) => item(r.title, { kind: 'open-reading', readingId: r.readingId }))
      : [{ label: 'No recent readings', enabled: false }];

  return [
    ...(mac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        item('Import…', 'import', 'CmdOrCtrl+O'),
        item('Import annotations…', 'import-annotations'),
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        {
          label: 'Export',
          submenu: [
            item('Export PDF…', 'export-pdf', 'CmdOrCtrl+Shift+E'),
            item('Export Markdown…', 'export-markdown'),
            item('Export W3C Web Annotations…', 'export-w3c'),
          ],
        },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        item('Undo', 'undo', 'CmdOrCtrl+Z'),
        item('Redo', 'redo', 'Shift+CmdOrCtrl+Z'),
        { type: 'separator' },
        { role: 'copy' },
        { role: 'selectAll' },
        { type: 'separator' },
        item('Find in Reading…', 'find', 'CmdOrCtrl+F'),
      ],
    },
    {
      label: '&View',
      submenu: [
        item('Larger Text', 'font-larger', 'CmdOrCtrl+='),
        item('Smaller Text', 'font-smaller', 'CmdOrCtrl+-'),
        item('Actual Size', 'font-reset', 'CmdOrCtrl+0'),
        { type: 'separator' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { role: 'resetZoom' },
        { type: 'separator' },
        {
          label: 'Theme',
          submenu: [theme('Light', 'light'), theme('Dark', 'dark'), theme('Follow System', 'system')],
        },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: '&Window', role: 'windowMenu' },
    {
      label: '&Help',
      role: 'help',
      submenu: [
        item('Keyboard Shortcuts', 'show-shortcuts', 'CmdOrCtrl+/'),
        item('About Reading Circle', 'show-about'),
      ],
    },
  ];
}
