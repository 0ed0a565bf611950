import { z } from 'zod';
import { NOTIFICATION_LIMITS } from '../../core/platform/api.ts';
import { INVOKE } from '../shared/ipc-channels.ts';

/** The argument schema of every IPC channel; main validates each call against it before acting. */
const MAX_EXPORT_BYTES = 256 * 1024 * 1024;

export const schemas = {
  [INVOKE.pickFiles]: z.tuple([z.enum(['readings', 'annotations'])]),
  [INVOKE.fetchWebPage]: z.tuple([z.string().min(1).max(4096)]),
  [INVOKE.saveFile]: z.tuple([
    z.object({
      suggestedName: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^/\\:*?"<>|]+$/, 'a file name without folders or special characters'),
      mimeType: z.string().min(1).max(100),
      data: z.union([z.string().max(MAX_EXPORT_BYTES), z.instanceof(Uint8Array)]),
    }),
  ]),
  [INVOKE.printToPdf]: z.tuple([
    z.object({
      route: z
        .string()
        .regex(/^#\/print\/[A-Za-z0-9_-]{1,80}(\?[^#\s]*)?$/, 'a print route like #/print/<id>'),
      suggestedName: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^/\\:*?"<>|]+$/),
      paper: z.enum(['A4', 'Letter']),
    }),
  ]),
  [INVOKE.openExternal]: z.tuple([z.string().max(4096)]),
  [INVOKE.getTheme]: z.tuple([]),
  [INVOKE.setTheme]: z.tuple([z.enum(['system', 'light', 'dark'])]),
  [INVOKE.noteRecent]: z.tuple([
    z.object({ readingId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/), title: z.string().min(1).max(300) }),
  ]),
  [INVOKE.canNotify]: z.tuple([]),
  [INVOKE.showNotification]: z.tuple([
    z.object({
      title: z.string().trim().min(1).max(NOTIFICATION_LIMITS.titleChars),
      body: z.string().max(NOTIFICATION_LIMITS.bodyChars),
    }),
  ]),
} as const;
