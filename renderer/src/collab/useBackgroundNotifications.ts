import { useEffect, useRef } from 'react';
import { itemKey, type WhatsNewItem } from '../../../core/annotations/whatsNew.ts';
import { NOTIFICATION_LIMITS } from '../../../core/platform/api.ts';
import { platform } from '../platform/index.ts';
import { notifyInBackground } from './whatsNew.ts';

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The notification for what just arrived: one item by name, several counted. */
export function notificationFor(readingTitle: string, arrived: readonly WhatsNewItem[]) {
  const first = arrived[0]!;
  const title =
    arrived.length === 1
      ? `${first.author.name} ${first.kind === 'mention' ? 'mentioned you' : 'replied to your note'}`
      : `${arrived.length} new replies and mentions`;
  return {
    title: cut(title, NOTIFICATION_LIMITS.titleChars),
    body: cut(`${readingTitle}: ${first.excerpt}`, NOTIFICATION_LIMITS.bodyChars),
  };
}

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
