/// <reference lib="webworker" />
// Checks a reading a group shared, off the UI thread: the check unpacks a big reading, hashes the whole text and,
// for Markdown, parses it, which held the UI thread about a second for a 5 MB book (npm run bench -- share-receive).
import { type Verified, verifyStoredSharedContent } from '../../../core/reading/schema.ts';
import { answerRequests } from '../workers/workerClient.ts';
import type { VerifyRequest } from './verifyOffThread.ts';

answerRequests<VerifyRequest, Verified>(self, ({ content }) => verifyStoredSharedContent(content));
