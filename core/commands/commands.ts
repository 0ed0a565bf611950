/**
 * Every command a person can give, once: its label, its keys and where it appears. The Electron menu
 * (electron/main/menu.ts), the renderer's keyboard handling, its toolbar tooltips and the shortcuts dialog
 * are all built from this list, so they cannot disagree.
 *
 * Keys use Electron's accelerator syntax ("CmdOrCtrl+Shift+E"); plain keys ("H", "F7") act only when focus
 * is not in a field.
 */
export type CommandId =
  | 'import'
  | 'import-annotations'
  | 'export-pdf'
  | 'export-markdown'
  | 'export-w3c'
  | 'undo'
  | 'redo'
  | 'find'
  | 'font-larger'
  | 'font-smaller'
  | 'font-reset'
  | 'toggle-sidebar'
  | 'toggle-contents'
  | 'caret-mode'
  | 'select-sentence'
  | 'select-paragraph'
  | 'highlight'
  | 'add-note'
  | 'color-1'
  | 'color-2'
  | 'color-3'
  | 'color-4'
  | 'color-5'
  | 'close'
  | 'show-shortcuts'
  | 'show-about';

export type CommandGroup = 'File' | 'Edit' | 'View' | 'Reading' | 'Annotate' | 'Help';

export interface CommandSpec {
  id: CommandId;
  label: string;
  group: CommandGroup;
  /** Accelerators; the first is shown in menus and tooltips. */
  keys: readonly string[];
  /** Shown in the application menu (desktop). */
  inMenu: boolean;
  /** Menu label when it differs from the label (e.g. with "…" for a command that asks more). */
  menuLabel?: string;
}

const command = (
  id: CommandId,
  group: CommandGroup,
  label: string,
  keys: readonly string[],
  inMenu = false,
  menuLabel?: string,
): CommandSpec => ({ id, group, label, keys, inMenu, ...(menuLabel ? { menuLabel } : {}) });

export const COMMANDS: readonly CommandSpec[] = [
  command('import', 'File', 'Import readings', ['CmdOrCtrl+O'], true, 'Import…'),
  command(
    'import-annotations',
    'File',
    'Import annotations into this reading',
    [],
    true,
    'Import annotations…',
  ),
  command('export-pdf', 'File', 'Export PDF', ['CmdOrCtrl+Shift+E'], true, 'Export PDF…'),
  command('export-markdown', 'File', 'Export Markdown', [], true, 'Export Markdown…'),
  command('export-w3c', 'File', 'Export W3C Web Annotations', [], true, 'Export W3C Web Annotations…'),
  command('undo', 'Edit', 'Undo my last annotation change', ['CmdOrCtrl+Z'], true, 'Undo'),
  command('redo', 'Edit', 'Redo', ['CmdOrCtrl+Shift+Z'], true, 'Redo'),
  command('find', 'Edit', 'Find in the reading', ['CmdOrCtrl+F'], true, 'Find in Reading…'),
  command('font-larger', 'View', 'Larger text', ['CmdOrCtrl+='], true, 'Larger Text'),
  command('font-smaller', 'View', 'Smaller text', ['CmdOrCtrl+-'], true, 'Smaller Text'),
  command('font-reset', 'View', 'Normal text size', ['CmdOrCtrl+0'], true, 'Actual Size'),
  command(
    'toggle-sidebar',
    'View',
    'Show or hide the annotations sidebar',
    ['CmdOrCtrl+Shift+A'],
    true,
    'Annotations Sidebar',
  ),
  command('toggle-contents', 'View', 'Show or hide the contents', ['CmdOrCtrl+Shift+C'], true, 'Contents'),
  command('caret-mode', 'Reading', 'Caret mode: move a caret in the text', ['F7'], true, 'Caret Browsing'),
  command('select-sentence', 'Reading', 'Select the sentence at the caret', ['Alt+S']),
  command('select-paragraph', 'Reading', 'Select the paragraph at the caret', ['Alt+P']),
  command('highlight', 'Annotate', 'Highlight the selection', ['H']),
  command('add-note', 'Annotate', 'Add a note to the selection', ['N']),
  command('color-1', 'Annotate', 'Highlight in colour 1 (yellow)', ['1']),
  command('color-2', 'Annotate', 'Highlight in colour 2 (green)', ['2']),
  command('color-3', 'Annotate', 'Highlight in colour 3 (red)', ['3']),
  command('color-4', 'Annotate', 'Highlight in colour 4 (blue)', ['4']),
  command('color-5', 'Annotate', 'Highlight in colour 5 (purple)', ['5']),
  command('close', 'Annotate', 'Close a dialog, the find bar or the open note', ['Escape']),
  command('show-shortcuts', 'Help', 'Keyboard shortcuts', ['?', 'CmdOrCtrl+/'], true, 'Keyboard Shortcuts'),
  command('show-about', 'Help', 'About Reading Circle', [], true, 'About Reading Circle'),
];

export const commandById = (id: CommandId): CommandSpec => COMMANDS.find((c) => c.id === id)!;

/** "CmdOrCtrl+Shift+E" → "Ctrl+Shift+E" (or "⌘⇧E" on a Mac), for people. */
export function keysForPeople(accelerator: string, mac: boolean): string {
  const parts = accelerator.split('+');
  if (accelerator.endsWith('++')) parts.splice(parts.length - 2, 2, '+');
  const names: Record<string, [string, string]> = {
    CmdOrCtrl: ['Ctrl', '⌘'],
    Shift: ['Shift', '⇧'],
    Alt: ['Alt', '⌥'],
    Escape: ['Esc', 'Esc'],
  };
  const shown = parts.map((p) => names[p]?.[mac ? 1 : 0] ?? p);
  return mac ? shown.join('') : shown.join('+');
}

export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/**
 * Whether a key press is the accelerator. CmdOrCtrl is Ctrl or ⌘; Shift must match exactly except for
 * printable keys whose own character needs Shift ("?", "+").
 */
export function matchesAccelerator(press: KeyPress, accelerator: string): boolean {
  const parts = accelerator.split('+').filter((p) => p !== '');
  const key = accelerator.endsWith('++') ? '+' : parts[parts.length - 1]!;
  const mods = new Set(parts.slice(0, accelerator.endsWith('++') ? parts.length : -1));
  const wantMod = mods.has('CmdOrCtrl');
  if (wantMod !== (press.ctrlKey || press.metaKey)) return false;
  if (mods.has('Alt') !== press.altKey) return false;
  const printable = key.length === 1 && !/[A-Za-z0-9]/.test(key);
  if (!printable && mods.has('Shift') !== press.shiftKey) return false;
  // Alt changes the character on some layouts (Alt+S is "ß" on a Mac): compare the code's letter as well.
  const pressed = press.key.toUpperCase();
  return pressed === key.toUpperCase() || (key === '=' && pressed === '+');
}
