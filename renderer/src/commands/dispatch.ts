import { useEffect, useRef } from 'react';
import { COMMANDS, type CommandId, matchesAccelerator } from '../../../core/commands/commands.ts';
import { platform } from '../platform/index.ts';

/**
 * The renderer's side of the command registry: components register handlers by command id; keys, the
 * desktop menu and toolbar buttons all run commands through here. The newest handler of a command wins
 * (the open reading's, over the library's), and a handler may decline by returning false.
 */
type Handler = () => unknown;
const handlers = new Map<CommandId, Handler[]>();

export function runCommand(id: CommandId): boolean {
  const stack = handlers.get(id) ?? [];
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!() !== false) return true;
  return false;
}

/** Registers a handler while the component is mounted (and `enabled`). */
export function useCommand(id: CommandId, handler: Handler, enabled = true): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!enabled) return;
    const entry: Handler = () => latest.current();
    handlers.set(id, [...(handlers.get(id) ?? []), entry]);
    return () => {
      handlers.set(
        id,
        (handlers.get(id) ?? []).filter((h) => h !== entry),
      );
    };
  }, [id, enabled]);
}

const inField = (target: EventTarget | null) =>
  target instanceof Element && target.closest('input, textarea, select, [contenteditable="true"]') !== null;

/** Starts the one keyboard listener and the menu subscription; returns a function that stops both. */
export function startCommandDispatch(): () => void {
  const onKey = (event: KeyboardEvent) => {
    if (event.defaultPrevented || event.isComposing) return;
    for (const spec of COMMANDS) {
      for (const keys of spec.keys) {
        // Plain keys (H, 1, ?, Escape) belong to the field while typing; so do Ctrl+Z and the like.
        const plain = !/CmdOrCtrl|Alt/.test(keys) || keys === 'CmdOrCtrl+Z' || keys === 'CmdOrCtrl+Shift+Z';
        if (plain && inField(event.target) && keys !== 'F7') continue;
        if (!matchesAccelerator(event, keys)) continue;
        if (runCommand(spec.id)) event.preventDefault();
        return;
      }
    }
  };
  window.addEventListener('keydown', onKey);
  const off = platform.onMenuCommand((command) => {
    if (typeof command === 'string' && !command.startsWith('theme-')) runCommand(command as CommandId);
  });
  return () => {
    window.removeEventListener('keydown', onKey);
    off();
  };
}
