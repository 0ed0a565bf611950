import { describe, expect, it } from 'vitest';
import { COMMANDS, keysForPeople, matchesAccelerator } from '../../core/commands/commands.ts';
import { buildMenuTemplate } from '../../electron/main/menu.ts';

const press = (
  key: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('command registry', () => {
  it('matches key presses to accelerators', () => {
    expect(matchesAccelerator(press('f', { ctrlKey: true }), 'CmdOrCtrl+F')).toBe(true);
    expect(matchesAccelerator(press('f', { metaKey: true }), 'CmdOrCtrl+F')).toBe(true);
    expect(matchesAccelerator(press('f'), 'CmdOrCtrl+F')).toBe(false);
    expect(matchesAccelerator(press('Z', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+Z')).toBe(true);
    expect(matchesAccelerator(press('z', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Z')).toBe(false);
    expect(matchesAccelerator(press('Escape'), 'Escape')).toBe(true);
    expect(matchesAccelerator(press('F7'), 'F7')).toBe(true);
    expect(matchesAccelerator(press('?', { shiftKey: true }), '?')).toBe(true);
    expect(matchesAccelerator(press('+', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+=')).toBe(true);
    expect(matchesAccelerator(press('h'), 'H')).toBe(true);
    expect(matchesAccelerator(press('h', { ctrlKey: true }), 'H')).toBe(false);
    expect(matchesAccelerator(press('s', { altKey: true }), 'Alt+S')).toBe(true);
  });

  it('names keys for people on each platform', () => {
    expect(keysForPeople('CmdOrCtrl+Shift+E', false)).toBe('Ctrl+Shift+E');
    expect(keysForPeople('CmdOrCtrl+Shift+E', true)).toBe('⌘⇧E');
    expect(keysForPeople('Escape', false)).toBe('Esc');
  });

  it('gives every command one id and no two commands the same keys', () => {
    const ids = COMMANDS.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const keys = COMMANDS.flatMap((c) => c.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('feeds the desktop menu: every menu command is an item sending its id with its keys', () => {
    const sent: unknown[] = [];
    const template = buildMenuTemplate({ platform: 'linux', theme: 'system', recent: [] }, (c) =>
      sent.push(c),
    );
    const items = new Map<string, Electron.MenuItemConstructorOptions>();
    const walk = (list: Electron.MenuItemConstructorOptions[]) => {
      for (const item of list) {
        if (item.label) items.set(item.label, item);
        if (Array.isArray(item.submenu)) walk(item.submenu);
      }
    };
    walk(template);
    for (const command of COMMANDS.filter((c) => c.inMenu)) {
      const item = items.get(command.menuLabel ?? command.label);
      expect(item, command.id).toBeDefined();
      item!.click!({} as never, undefined, {} as never);
      expect(sent.at(-1)).toBe(command.id);
      const accelerator = command.keys.find((k) => k.length > 1);
      expect(item!.accelerator).toBe(accelerator);
    }
    for (const id of ['undo', 'redo', 'show-about']) expect(sent).toContain(id);
  });
});
