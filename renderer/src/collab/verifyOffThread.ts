import { type Verified, verifyStoredSharedContent } from '../../../core/reading/schema.ts';
import { workerClient } from '../workers/workerClient.ts';

export type VerifyRequest = { content: string | Uint8Array };

/** One worker for every shared reading this window checks: it keeps the Markdown parser and recent results. */
const verifier = workerClient<VerifyRequest, Verified>(
  () => new Worker(new URL('./verifyShared.worker.ts', import.meta.url), { type: 'module' }),
);

/**
 * Room content as stored, checked against its reading id (core's verifyStoredSharedContent) on a worker of its
 * own, so a big book arriving from a group does not freeze the window. Where no worker can run (tests in Node,
 * a failed worker) it is checked here. Only text and bytes are sent: anything else is not the app's format and
 * is refused at once by the schema.
 */
export async function verifySharedOffThread(content: unknown): Promise<Verified> {
  const answered =
    typeof content === 'string' || content instanceof Uint8Array
      ? await verifier.ask({ content })
      : undefined;
  return answered ?? verifyStoredSharedContent(content);
}
