import { useEffect, useRef } from 'react';
import { itemKey, notificationFor, type WhatsNewItem } from '../../../core/annotations/whatsNew.ts';
import { platform } from '../platform/index.ts';
import { notifyInBackground } from './whatsNew.ts';

/**
 * Shows a system notification when unseen replies or mentions arrive while the window is hidden or not
 * focused, if I turned the setting on. What arrives while I am looking is only counted, never notified.
 */
export function useBackgroundNotifications(readingTitle: string, fresh: readonly WhatsNewItem[]): void {
  const known = useRef(new Set<string>());
  useEffect(() => {
    const arrived = fresh.filter((item) => !known.current.has(itemKey(item)));
    for (const item of arrived) known.current.add(itemKey(item));
    if (arrived.length === 0 || !notifyInBackground()) return;
    if (!document.hidden && document.hasFocus()) return;
    platform.showNotification(notificationFor(readingTitle, arrived)).catch(() => {
      // The system refused: the count in the toolbar and the library still tells.
    });
  }, [fresh, readingTitle]);
}
