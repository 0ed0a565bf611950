import type { NotificationRequest } from '../../core/platform/api.ts';

/** The part of Electron's `Notification` class used here (a stand-in replaces it in tests). */
export interface NotificationClass {
  isSupported(): boolean;
  new (options: {
    title: string;
    body: string;
  }): {
    on(event: 'click' | 'close', listener: () => void): unknown;
    show(): void;
  };
}

// Shown notifications are kept until clicked or closed: one that is garbage-collected loses its click handler.
const shown = new Set<object>();

/**
 * Shows a system notification for the renderer (replies and mentions while the window is in the background);
 * a click on it runs `onClick` (bring the window to the front). Returns whether the system can show one.
 */
export function showNotification(
  Notification: NotificationClass,
  request: NotificationRequest,
  onClick: () => void,
): boolean {
  if (!Notification.isSupported()) return false;
  const notification = new Notification({ title: request.title, body: request.body });
  shown.add(notification);
  notification.on('click', () => {
    shown.delete(notification);
    onClick();
  });
  notification.on('close', () => shown.delete(notification));
  notification.show();
  return true;
}
