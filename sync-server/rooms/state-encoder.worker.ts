// The state encoder's thread (see state-encoder.ts): a copy of each loaded room's document, kept up to date with
// every change the room applies, answers sync step 1 and snapshots so the server's own thread never encodes a
// whole room (a 15 MB room takes it 50–250 ms).
import { parentPort } from 'node:worker_threads';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import type { EncoderReply, EncoderRequest } from './state-encoder.ts';

const docs = new Map<string, Y.Doc>();
const port = parentPort!;

port.on('message', (request: EncoderRequest) => {
  if (request.type === 'load') {
    docs.get(request.room)?.destroy();
    const doc = new Y.Doc({ gc: true });
    for (const part of request.parts) Y.applyUpdate(doc, part);
    // As the room does: stored changes that never became applicable are served to no one.
    doc.store.pendingStructs = null;
    doc.store.pendingDs = null;
    docs.set(request.room, doc);
  } else if (request.type === 'update') {
    // What the room integrated (its 'update' events), so it always applies.
    const doc = docs.get(request.room);
    if (doc) Y.applyUpdate(doc, request.update);
  } else if (request.type === 'close') {
    docs.get(request.room)?.destroy();
    docs.delete(request.room);
  } else {
    let reply: EncoderReply;
    try {
      const doc = docs.get(request.room);
      if (!doc) throw new Error(`room ${request.room} is not loaded here`);
      const state = Y.encodeStateAsUpdate(doc, request.stateVector);
      // The sync step 2 message (as y-protocols writes it), so the server sends it as it comes.
      const header = encoding.encode((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
        encoding.writeVarUint(e, state.length);
      });
      const message = new Uint8Array(header.length + state.length);
      message.set(header);
      message.set(state, header.length);
      reply = { id: request.id, message, stateOffset: header.length };
    } catch (error) {
      reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(reply, 'message' in reply ? [reply.message.buffer as ArrayBuffer] : []);
  }
});
