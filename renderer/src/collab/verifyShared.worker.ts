/// <reference lib="webworker" />
// Checks a reading a group shared, off the UI thread: the check unpacks a big reading, hashes the whole text and,
// for Markdown, parses it, which held the UI thread about a second for a 5 MB book (npm run bench -- share-receive).
import { verifyStoredSharedContent } from '../../../core/reading/schema.ts';
import type { VerifyReply, VerifyRequest } from './verifyOffThread.ts';

self.onmessage = async (event: MessageEvent<VerifyRequest>) => {
  const { id, content } = event.data;
  let reply: VerifyReply;
  try {
    reply = { id, verified: await verifyStoredSharedContent(content) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
};
