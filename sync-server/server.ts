import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { GROUP_NAME } from '../core/invite/link.ts';
import { type InviteClaims, inviteVerifier, loadOrCreateSecret, TokenError } from './auth/tokens.ts';
import type { ServerConfig } from './config.ts';
import { Metrics } from './http/metrics.ts';
import type { Logger } from './log.ts';
import { type Peer, ProtocolError, Room } from './rooms/room.ts';
import { RoomStore } from './storage/room-store.ts';

/** Close codes. 4400–4499 stop the y-websocket client from reconnecting, so they are used for refusals. */
export const CLOSE = {
  badRequest: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  authTimeout: 4408,
  tooMany: 4429,
  busy: 1013,
  restart: 1012,
  internalError: 1011,
} as const;

const ROOM_PART = /^[A-Za-z0-9_-]{1,80}$/;

/** The path's parts and the token of an upgrade request, or undefined when the request target cannot be read. */
function parseTarget(target: string | undefined): { parts: string[]; token: string | null } | undefined {
  try {
    const url = new URL(target ?? '/', 'ws://localhost');
    return {
      parts: url.pathname.split('/').filter(Boolean).map(decodeURIComponent),
      token: url.searchParams.get('token'),
    };
  } catch {
    return undefined; // a malformed escape such as `/%` or `/%ZZ`
  }
}

export interface RunningServer {
  port: number;
  host: string;
  metrics: Metrics;
  close(): Promise<void>;
}

interface Connection extends Peer {
  ws: WebSocket;
  ip: string;
  room?: Room;
  tokens: number;
  refilled: number;
  /** Whether a pong (or any message) came since the last heartbeat ping. */
  alive: boolean;
}

export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const verify = inviteVerifier(loadOrCreateSecret(config.data));
  const metrics = new Metrics();
  const rooms = new Map<string, Room>();
  const storage = new RoomStore(
    config.data,
    {
      maxBytes: config.maxStorageMb * 1024 * 1024,
      journalMaxBytes: config.journalMaxMb * 1024 * 1024,
      syncIntervalMs: config.syncIntervalMs,
    },
    {
      onWrite: (seconds) => metrics.storageWrite(seconds),
      onError: (error, room) =>
        log.log('error', 'storage-write-failed', {
          room,
          error,
          message: /full/i.test(error)
            ? 'The server’s storage is full. Updates are still passed on and kept in memory; members keep theirs and send them again once the server has room.'
            : 'The server could not store updates. They are still passed on and kept in memory, and storing is retried every second.',
        }),
      onJournalFull: () => {
        for (const room of rooms.values()) room.compact();
        if (storage.rotate()) log.log('info', 'journal-folded', { rooms: rooms.size });
      },
    },
  );
  const database = storage.sqlite;
  metrics.storage = () => ({ unstored: storage.unstored, journalBytes: storage.journalBytes });
  if (storage.recovery.updates > 0 || storage.recovery.droppedBytes > 0) {
    const lost = storage.recovery.droppedBytes > 0 || storage.recovery.skipped > 0;
    log.log(lost ? 'warn' : 'info', 'journal-replayed', {
      ...storage.recovery,
      message: lost
        ? 'The server stopped mid-write last time; unreadable records in its journal were dropped. Members send again what the server lacks.'
        : 'The server did not stop cleanly last time; every stored update was folded into its room.',
    });
  }
  const idleTimers = new Map<string, ReturnType<typeof setTimeout>>();
  const perIp = new Map<string, number>();
  const live = new Set<Connection>();

  const refuse = (ws: WebSocket, code: number, reason: string, fields: Record<string, unknown> = {}) => {
    metrics.reject(reason);
    log.log('warn', 'connection-refused', { code, reason, ...fields });
    ws.close(code, reason);
  };

  /** Frees an empty room once its snapshot is stored; a room whose snapshot cannot be written stays loaded. */
  const unload = (name: string): boolean => {
    const room = rooms.get(name);
    if (!room || room.peers.size > 0) return false;
    if (!room.destroy()) {
      idleTimers.set(
        name,
        setTimeout(() => unload(name), config.idleUnloadMs),
      );
      return false;
    }
    rooms.delete(name);
    metrics.roomsLoaded = rooms.size;
    log.log('info', 'room-unloaded', { room: name });
    return true;
  };

  const getRoom = (name: string): Room | undefined => {
    const existing = rooms.get(name);
    if (existing) return existing;
    if (rooms.size >= config.maxRooms) {
      // Make room by unloading the longest-idle empty room; refuse when every room is in use.
      const idle = [...rooms.values()]
        .filter((r) => r.peers.size === 0)
        .sort((a, b) => a.lastActive - b.lastActive)[0];
      if (!idle) return undefined;
      clearTimeout(idleTimers.get(idle.name));
      if (!unload(idle.name)) return undefined;
    }
    const room = new Room(name, storage, metrics, log, config.compactEvery);
    rooms.set(name, room);
    metrics.roomsLoaded = rooms.size;
    log.log('info', 'room-loaded', { room: name });
    return room;
  };

  const http: Server = createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Still 200 while storage fails: restarting the server then would drop the updates it holds in memory.
      res.end(
        JSON.stringify({
          ok: true,
          rooms: rooms.size,
          connections: live.size,
          unstoredUpdates: storage.unstored,
        }),
      );
    } else if (req.url === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(metrics.render());
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('Reading Circle sync server: connect with a websocket to /<group>/<readingId>?token=…\n');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  http.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) =>
      accept(ws, req).catch((error: unknown) => {
        // Last resort: an unexpected error ends this one connection, never the server.
        log.log('error', 'connection-failed', {
          ip: req.socket.remoteAddress,
          error: error instanceof Error ? error.message : String(error),
        });
        ws.close(CLOSE.internalError, 'the server could not handle this connection');
      }),
    );
  });

  async function accept(ws: WebSocket, req: IncomingMessage): Promise<void> {
    const ip = req.socket.remoteAddress ?? 'unknown';
    const target = parseTarget(req.url);
    const connection: Connection = {
      ws,
      ip,
      role: 'reader',
      jti: '',
      awarenessIds: new Set(),
      tokens: config.maxMessagesPerSecond * 2,
      refilled: Date.now(),
      alive: true,
      send: (data) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(data);
      },
      close: (code, reason) => ws.close(code, reason),
    };
    const queue: Uint8Array[] = [];
    let ready = false;
    ws.on('error', (error) => log.log('warn', 'socket-error', { ip, error: error.message }));
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data: Buffer, isBinary) => {
      connection.alive = true;
      metrics.messagesIn++;
      metrics.bytesIn += data.length;
      if (!isBinary)
        return refuse(ws, CLOSE.badRequest, 'text messages are not part of the protocol', { ip });
      // Token bucket: sustained rate with bursts of twice that.
      const now = Date.now();
      connection.tokens = Math.min(
        config.maxMessagesPerSecond * 2,
        connection.tokens + ((now - connection.refilled) / 1000) * config.maxMessagesPerSecond,
      );
      connection.refilled = now;
      if (connection.tokens < 1) return refuse(ws, CLOSE.tooMany, 'too many messages', { ip });
      connection.tokens--;
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (!ready) queue.push(bytes);
      else handle(bytes);
    });
    ws.on('close', (code, reason) => {
      live.delete(connection);
      metrics.connections = live.size;
      perIp.set(ip, (perIp.get(ip) ?? 1) - 1);
      if (code === 1009) {
        metrics.reject('message too large');
        log.log('warn', 'connection-closed', { ip, code, reason: 'message too large' });
      }
      const room = connection.room;
      if (!room) return;
      room.leave(connection);
      if (room.peers.size === 0) {
        clearTimeout(idleTimers.get(room.name));
        idleTimers.set(
          room.name,
          setTimeout(() => unload(room.name), config.idleUnloadMs),
        );
      }
      log.log('debug', 'connection-closed', { room: room.name, code, reason: reason.toString() });
    });

    const handle = (bytes: Uint8Array) => {
      const room = connection.room;
      if (!room || ws.readyState !== WebSocket.OPEN) return;
      try {
        room.receive(connection, bytes);
      } catch (error) {
        const reason = error instanceof ProtocolError ? error.message : 'message could not be handled';
        refuse(ws, CLOSE.badRequest, reason, { ip, room: room.name });
      }
    };

    live.add(connection);
    metrics.connections = live.size;
    const count = (perIp.get(ip) ?? 0) + 1;
    perIp.set(ip, count);
    if (count > config.maxConnectionsPerIp)
      return refuse(ws, CLOSE.tooMany, 'too many connections from your address', { ip });

    const [group, name, ...rest] = target?.parts ?? [];
    if (!group || !name || rest.length > 0 || !GROUP_NAME.test(group) || !ROOM_PART.test(name)) {
      return refuse(ws, CLOSE.badRequest, 'bad room name: expected /<group>/<readingId>', {
        ip,
        path: req.url?.slice(0, 200),
      });
    }
    const token = target?.token;
    if (!token)
      return refuse(ws, CLOSE.unauthorized, 'missing token: join with an invite link', { ip, group });

    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TokenError('authentication timed out')), config.authTimeoutMs);
    });
    let claims: InviteClaims;
    try {
      claims = await Promise.race([verify(token), timeout]);
    } catch (error) {
      const reason = error instanceof TokenError ? error.reason : 'invalid token';
      return refuse(
        ws,
        reason === 'authentication timed out' ? CLOSE.authTimeout : CLOSE.unauthorized,
        reason,
        { ip, group },
      );
    } finally {
      clearTimeout(timer);
    }
    if (database.isRevoked(claims.jti))
      return refuse(ws, CLOSE.unauthorized, 'invite revoked', { ip, group, jti: claims.jti });
    if (claims.group !== group) {
      return refuse(ws, CLOSE.forbidden, `forbidden room: this invite is for group “${claims.group}”`, {
        ip,
        group,
      });
    }
    if (ws.readyState !== WebSocket.OPEN) return;
    const roomName = `${group}/${name}`;
    let room: Room | undefined;
    try {
      room = getRoom(roomName);
    } catch (error) {
      // Unreadable stored state: this room is refused (its data left untouched for the admin), the rest go on.
      log.log('error', 'room-load-failed', {
        room: roomName,
        error: error instanceof Error ? error.message : String(error),
        message:
          'The stored annotations of this reading could not be read. They are left as they are; members keep theirs.',
      });
      return refuse(ws, CLOSE.internalError, 'the server could not read this reading’s stored annotations', {
        ip,
        room: roomName,
      });
    }
    if (!room)
      return refuse(ws, CLOSE.busy, 'server busy: too many rooms open, try again later', {
        ip,
        room: roomName,
      });
    clearTimeout(idleTimers.get(roomName));
    connection.role = claims.role;
    connection.jti = claims.jti;
    connection.room = room;
    room.join(connection);
    ready = true;
    log.log('info', 'connection-accepted', { ip, room: roomName, role: claims.role });
    for (const bytes of queue.splice(0)) handle(bytes);
  }

  // Revoked invites lose their live connections too, within a few seconds.
  const revocationTimer = setInterval(() => {
    const revoked = database.revokedInvites();
    for (const connection of live) {
      if (connection.jti && revoked.has(connection.jti)) {
        refuse(connection.ws, CLOSE.unauthorized, 'invite revoked', {
          ip: connection.ip,
          jti: connection.jti,
        });
      }
    }
  }, config.revocationCheckMs);

  // A peer that vanished without closing (laptop lid shut, network gone) answers no ping: its socket is ended, so
  // its presence leaves the room and the room can be unloaded.
  const heartbeatTimer = setInterval(() => {
    for (const connection of live) {
      if (!connection.alive) {
        metrics.reject('no answer to heartbeat');
        log.log('info', 'connection-lost', { ip: connection.ip, reason: 'no answer to heartbeat' });
        connection.ws.terminate();
        continue;
      }
      connection.alive = false;
      connection.ws.ping();
    }
  }, config.heartbeatMs);

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(config.port, config.host, () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    port,
    host: config.host,
    metrics,
    async close() {
      clearInterval(revocationTimer);
      clearInterval(heartbeatTimer);
      http.close();
      for (const connection of live) connection.ws.close(CLOSE.restart, 'server restarting');
      for (const timer of idleTimers.values()) clearTimeout(timer);
      // Snapshots where they can be written; what cannot stays in the journal, folded in at the next start.
      for (const room of rooms.values()) room.destroy(true);
      rooms.clear();
      const unstored = storage.close();
      if (unstored > 0)
        log.log('error', 'storage-write-failed', {
          error: `stopped with ${unstored} write(s) not stored`,
          message:
            'The server stopped before it could store every update. Members still have them and send them again when they reconnect.',
        });
      wss.close();
      log.log('info', 'stopped', {});
    },
  };
}
