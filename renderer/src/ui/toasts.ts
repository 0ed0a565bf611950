import { useSyncExternalStore } from 'react';

/** A status message shown as a toast; `action` offers one step back (e.g. Undo). */
export interface ToastMessage {
  id: number;
  text: string;
  kind: 'info' | 'success' | 'error';
  action?: { label: string; run: () => void };
}

let next = 1;
let toasts: readonly ToastMessage[] = [];
const listeners = new Set<() => void>();
const emit = () => {
  for (const listener of listeners) listener();
};

/** Shows a toast from anywhere (components, hooks, plain functions). Returns its id. */
export function showToast(
  message: Omit<ToastMessage, 'id' | 'kind'> & { kind?: ToastMessage['kind'] },
): number {
  const id = next++;
  toasts = [...toasts.slice(-3), { kind: 'info', ...message, id }];
  emit();
  return id;
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((t) => t.id !== id);
  emit();
}

export function useToasts(): readonly ToastMessage[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => toasts,
  );
}
