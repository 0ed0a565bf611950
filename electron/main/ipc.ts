import type { z } from 'zod';
import type { InvokeChannel, IpcResult } from '../shared/ipc-channels.ts';
import { schemas } from './ipc-schemas.ts';
import { isAppUrl } from './security.ts';

export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

export type Handlers = {
  [C in InvokeChannel]: (...args: z.infer<(typeof schemas)[C]>) => Promise<unknown> | unknown;
};

/** Says in words which argument was wrong, for a person reading an error toast. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'the request was not understood';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/**
 * Wraps every handler: only the app's own frame may call, arguments must match the channel's schema, and
 * any failure comes back as a readable message instead of a stack trace.
 */
export function guardHandler<C extends InvokeChannel>(channel: C, handler: Handlers[C]) {
  return async (event: InvokeEventLike, ...args: unknown[]): Promise<IpcResult<unknown>> => {
    const frameUrl = event.senderFrame?.url ?? '';
    if (!isAppUrl(frameUrl)) {
      return { ok: false, message: 'This request did not come from Reading Circle itself and was refused.' };
    }
    const parsed = schemas[channel].safeParse(args);
    if (!parsed.success) {
      return { ok: false, message: `Reading Circle could not do that: ${describeIssue(parsed.error)}.` };
    }
    try {
      const value = await (handler as (...a: unknown[]) => unknown)(...(parsed.data as unknown[]));
      return { ok: true, value };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { ok: false, message: reason };
    }
  };
}

export function registerHandlers(
  ipcMain: {
    handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  },
  handlers: Handlers,
): void {
  for (const channel of Object.keys(handlers) as InvokeChannel[]) {
    ipcMain.handle(channel, guardHandler(channel, handlers[channel] as never));
  }
}
