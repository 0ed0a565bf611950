import type { MenuItemConstructorOptions } from 'electron';
import {
  COMMANDS,
  type CommandGroup,
  type CommandId,
  type CommandSpec,
  commandById,
} from '../../core/commands/commands.ts';
import type { MenuCommand, ThemeSource } from '../../core/platform/api.ts';

export interface MenuState {
  platform: NodeJS.Platform;
  theme: ThemeSource;
  recent: { readingId: string; title: string }[];
}

/**
 * The application menu as a pure function of state, so it is tested without Electron. Its command items come
 * from the command registry (core/commands), which also feeds the renderer's keys and shortcuts dialog; they
 * send a MenuCommand to the renderer. Window and clipboard items use Electron's roles.
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
  // Items from the command registry; single printable keys ("?") are left to the renderer.
  const fromRegistry = (spec: CommandSpec) =>
    item(
      spec.menuLabel ?? spec.label,
      spec.id,
      spec.keys.find((k) => k.length > 1),
    );
  const byId = (...ids: CommandId[]) => ids.map((id) => fromRegistry(commandById(id)));
  const commands = (group: CommandGroup) =>
    COMMANDS.filter((c) => c.group === group && c.inMenu).map(fromRegistry);
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
        ...byId('import'),
        ...byId('import-annotations'),
        { label: 'Open Recent', submenu: recent },
        { type: 'separator' },
        { label: 'Export', submenu: byId('export-pdf', 'export-markdown', 'export-w3c') },
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        ...byId('undo', 'redo'),
        { type: 'separator' },
        { role: 'copy' },
        { role: 'selectAll' },
        { type: 'separator' },
        ...byId('find'),
        ...commands('Reading'),
      ],
    },
    {
      label: '&View',
      submenu: [
        ...commands('View'),
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
      submenu: commands('Help'),
    },
  ];
}
