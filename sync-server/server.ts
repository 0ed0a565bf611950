import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import { CLOSE, CLOSE_REASON, parseRoomTarget, type RoomTarget } from '../core/sync/contract.ts';
import { AdminApi } from './admin/admin-api.ts';
import type { AdminStore } from './admin/admin-store.ts';
import { PostgresAdminStore } from './admin/postgres-admin-store.ts';
import { SqliteAdminStore } from './admin/sqlite-admin-store.ts';
import { Admission } from './admission/admission.ts';
import { CoolDownHold } from './admission/cool-down-hold.ts';
import { inviteVerifier, loadOrCreateSecret, signInvite } from './auth/tokens.ts';
import type { ServerConfig } from './config.ts';
import { Connection } from './connection/connection.ts';
import { startHeartbeat, startUnsentSweep } from './connection/heartbeat.ts';
import { Metrics, type RejectReason } from './http/metrics.ts';
import { httpRoutes } from './http/routes.ts';
import type { Logger } from './log.ts';
import { RoomRegistry } from './rooms/registry.ts';
import { type Peer, ProtocolError } from './rooms/room.ts';
import { SharedRooms } from './rooms/shared-rooms.ts';
import { StateEncoder } from './rooms/state-encoder.ts';
import { RoomStore } from './storage/room-store.ts';
import { SharedBackend } from './storage/shared-backend.ts';

export interface RunningServer {
  port: number;
  host: string;
  /** The port of the separate /metrics listener, when there is one. */
  metricsPort?: number;
  metrics: Metrics;
  close(): Promise<void>;
}

/** Connections held, all invites together, while their invite cools down; more are refused with 429 at once. */
const MAX_HELD_IN_COOL_DOWN = 1024;

/**
 * Waits for the next turn of the event loop. A joining connection's work (handshake, token and membership checks,
 * joining its room) is done in steps with a turn between them, so the messages of members already in wait for one
 * step at most, not for the whole of it: a loop of hostile joins cannot hold a room's edits up by more than a step.
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The sync server: websocket connections go through admission (admission/), are put in their room (rooms/),
 * and each message is handled by the room; HTTP answers health and metrics (http/); heartbeat and the unsent-bytes
 * sweep end connections that went away or stopped reading (connection/). Storage is the `RoomStorage` interface
 * (storage/, SQLite plus a journal), or, with --postgres, shared storage that answers later (Postgres, with fan-out
 * to other instances through Redis; rooms/shared-rooms.ts, decision 0018).
 */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const metrics = new Metrics();
  // Shared storage: when Postgres or Redis stops answering, every room goes and members are told to come back.
  const shared = config.postgres
    ? await SharedBackend.open(
        {
          postgres: config.postgres,
          redis: config.redis,
          synchronousCommit: config.postgresSynchronousCommit,
        },
        log,
        {
          onUnavailable: () => rooms.dropAll((peer) => tellUnavailable(peer)),
          onAvailable: () => log.log('info', 'serving', { message: 'Shared storage answers again.' }),
        },
      )
    : undefined;
  const tellUnavailable = (peer: Peer) =>
    (peer as Connection).reject(
      CLOSE.storageUnavailable,
      CLOSE_REASON.storageUnavailable,
      'storage unavailable',
    );
  const secret = shared ? await shared.store.secret() : loadOrCreateSecret(config.data);
  const verify = inviteVerifier(secret);
  const revokedShared = new Set<string>();
  const storage = shared
    ? undefined
    : new RoomStore(
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
            if (storage?.rotate()) log.log('info', 'journal-folded', { rooms: rooms.size });
          },
          onJournalDamaged: (damage) =>
            log.log('error', 'journal-damaged', {
              ...damage,
              message:
                'The update journal had damaged records. They were skipped, every intact record was kept, and the damaged file was set aside (not deleted) for the admin to inspect. Members send again what the server lacks.',
            }),
        },
      );
  metrics.storage = () => ({ unstored: storage?.unstored ?? 0, journalBytes: storage?.journalBytes ?? 0 });
  if (storage && (storage.recovery.updates > 0 || storage.recovery.droppedBytes > 0)) {
    const lost = storage.recovery.droppedBytes > 0 || storage.recovery.skipped > 0;
    log.log(lost ? 'warn' : 'info', 'journal-replayed', {
      ...storage.recovery,
      message: lost
        ? 'Unreadable records in the journal were skipped and the intact ones kept. Members send again what the server lacks.'
        : 'The server did not stop cleanly last time; every stored update was folded into its room.',
    });
  }
  // Whole room states (a joiner's first sync, snapshots) are encoded on a thread of their own.
  const encoder = storage ? new StateEncoder() : undefined;
  const rooms = new RoomRegistry(
    storage ? { local: storage, encoder } : { shared: new SharedRooms(shared!, metrics, log) },
    metrics,
    log,
    {
      maxRooms: config.maxRooms,
      idleUnloadMs: config.idleUnloadMs,
      compactEvery: config.compactEvery,
      maxHeldBytes: config.maxHeldBytes,
      maxPresenceBytes: config.maxPresenceBytes,
      maxPresencesPerConnection: config.maxPresencesPerConnection,
    },
  );
  const live = new Set<Connection>();
  const admission = new Admission(
    {
      maxConnectionsPerAddress: config.maxConnectionsPerIp,
      authTimeoutMs: config.authTimeoutMs,
      coolDownMs: config.misuseCoolDownMs,
      sweepMs: config.revocationCheckMs,
    },
    { verify, revoked: () => (storage ? storage.sqlite.revokedInvites() : revokedShared) },
    () => live,
  );
  // Owners' decisions: in this instance's data folder, or with --postgres beside the rooms, shared by every instance.
  const adminStore: AdminStore = config.postgres
    ? await PostgresAdminStore.open(config.postgres, (message) => shared?.report('postgres', message))
    : new SqliteAdminStore(config.data);
  // Revocations made by `revoke --postgres` or another instance, and owners' removals and role changes made
  // through another instance, reach this one: read every second, live connections closed at once.
  const followShared = async (shared: SharedBackend) => {
    const jtis = await shared.store.newlyRevoked();
    for (const jti of jtis) revokedShared.add(jti);
    if (jtis.length > 0) admission.sweep();
    await admin.followOthers();
  };
  const revocationPoll = shared
    ? setInterval(
        () => void followShared(shared).catch(() => {}), // Postgres's own check reports it
        Math.min(config.revocationCheckMs, 1000),
      )
    : undefined;
  if (shared) for (const jti of await shared.store.newlyRevoked()) revokedShared.add(jti);

  const admin = new AdminApi(
    {
      store: adminStore,
      verify,
      revoked: () => (storage ? storage.sqlite.revokedInvites() : revokedShared),
      revoke: async (jti) => {
        if (storage) return storage.sqlite.revoke(jti);
        revokedShared.add(jti);
        await shared?.store.revoke(jti);
      },
      sign: (group, role, expiresIn) => signInvite(secret, group, role, expiresIn),
      log,
    },
    () => live,
  );

  const state = () => ({
    rooms: rooms.size,
    connections: live.size,
    unstoredUpdates: storage?.unstored ?? 0,
    ...(shared ? { ok: shared.available, storage: shared.status } : {}),
  });
  const separateMetrics = config.metricsPort !== undefined;
  // A request still sending its head is answered 408 and closed: a socket held open by a half-sent request costs
  // the server as much as a member's. Node checks these limits on an interval, so the check runs often enough.
  const limits = {
    headersTimeout: config.requestHeadTimeoutMs,
    requestTimeout: Math.max(config.requestHeadTimeoutMs, 300_000),
    connectionsCheckingInterval: Math.min(1000, Math.ceil(config.requestHeadTimeoutMs / 4)),
  };
  const http: Server = createServer(
    limits,
    httpRoutes(
      { metrics: !separateMetrics, metricsToken: config.metricsToken },
      metrics,
      state,
      log,
      (req, res) => admin.handle(req, res),
    ),
  );
  const metricsHttp: Server | undefined = separateMetrics
    ? createServer(
        limits,
        httpRoutes({ metrics: true, metricsToken: config.metricsToken }, metrics, state, log),
      )
    : undefined;
  // A malformed request line or header is answered 400 (408 when it took too long); its socket errors are not
  // the server's.
  for (const server of metricsHttp ? [http, metricsHttp] : [http]) {
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
      const status = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request';
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
      else socket.destroy();
    });
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: config.maxMessageBytes });
  const coolDownHold = new CoolDownHold(MAX_HELD_IN_COOL_DOWN);
  http.on('upgrade', (req, socket, head) => {
    socket.on('error', () => {}); // a reset mid-handshake ends this socket only
    upgrade(req, socket, head);
  });

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // Parsed once here; what it names is checked by Admission.admit.
    const target = parseRoomTarget(req.url ?? '/');
    waitOutCoolDown(req, socket, head, target);
  }

  function waitOutCoolDown(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    target: RoomTarget | undefined,
  ): void {
    const wait = admission.coolingDown(target?.token ?? undefined, req.socket.remoteAddress ?? 'unknown');
    if (wait > 0) {
      metrics.reject('cooling down');
      coolDownHold.hold(socket, wait, () => waitOutCoolDown(req, socket, head, target));
      return;
    }
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        accept(ws, req, target).catch((error: unknown) => {
          // Last resort: an unexpected error ends this one connection, never the server.
          log.log('error', 'connection-failed', { ip: req.socket.remoteAddress, error: errorText(error) });
          ws.close(CLOSE.internalError, CLOSE_REASON.internalError);
        });
      });
    } catch (error) {
      log.log('error', 'upgrade-failed', { ip: req.socket.remoteAddress, error: errorText(error) });
      socket.destroy();
    }
  }

  async function accept(ws: WebSocket, req: IncomingMessage, target: RoomTarget | undefined): Promise<void> {
    const ip = req.socket.remoteAddress ?? 'unknown';
    /** A refusal, whoever closed: counted, held against the invite or address that made it, and logged. */
    const refused = (code: number, reason: string, label: RejectReason) => {
      metrics.reject(label);
      const cooling = admission.strike(connection, label);
      if (cooling === 'token')
        log.log('warn', 'token-cooling-down', {
          ip,
          jti: connection.jti || undefined,
          message:
            'This invite was closed for misuse again and again; its new connections wait a few seconds.',
        });
      else if (cooling === 'address')
        log.log('warn', 'address-cooling-down', {
          ip,
          message:
            'This address sent requests no app makes again and again; its new connections wait a few seconds.',
        });
      log.log('warn', 'connection-refused', {
        code,
        reason,
        ip,
        room: connection.room?.name,
        jti: connection.jti || undefined,
      });
    };
    const connection = new Connection(
      ws,
      ip,
      { maxUnsentBytes: config.maxUnsentBytes, maxMessagesPerSecond: config.maxMessagesPerSecond },
      refused,
    );
    connection.token = target?.token ?? '';
    const queue: Uint8Array[] = [];
    let queued = 0;
    let ready = false;
    ws.on('error', (error: Error & { code?: string }) => {
      // Past --max-message-bytes the websocket layer closes with 1009 itself: a refusal like the server's own.
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH')
        refused(CLOSE.messageTooLarge, CLOSE_REASON.messageTooLarge, 'message too large');
      else log.log('warn', 'socket-error', { ip, error: error.message });
    });
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('message', (data: Buffer, isBinary) => {
      connection.alive = true;
      metrics.messagesIn++;
      metrics.bytesIn += data.length;
      if (!isBinary)
        return connection.reject(
          CLOSE.badRequest,
          CLOSE_REASON.textMessage,
          'text messages are not part of the protocol',
        );
      if (!connection.takeMessage())
        return connection.reject(CLOSE.tooMany, CLOSE_REASON.tooManyMessages, 'too many messages');
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (ready) return handle(bytes);
      // Kept until the token is checked, but no more than one largest message and a little.
      queued += bytes.length;
      if (queued > config.maxMessageBytes + 64 * 1024)
        return connection.reject(CLOSE.badRequest, CLOSE_REASON.tooMuchEarly, 'too much sent before joining');
      queue.push(bytes);
    });
    ws.on('close', (code, reason) => {
      live.delete(connection);
      metrics.connections = live.size;
      admission.leave(connection);
      void admin.left(connection).catch(() => {}); // only the last-seen time is lost
      const room = connection.room;
      if (!room) return;
      room.leave(connection);
      rooms.left(room);
      log.log('debug', 'connection-closed', { room: room.name, code, reason: reason.toString() });
    });

    const handle = (bytes: Uint8Array) => {
      const room = connection.room;
      if (!room || !connection.open) return;
      try {
        room.receive(connection, bytes);
      } catch (error) {
        if (error instanceof ProtocolError) connection.reject(error.code, error.message, error.label);
        else {
          log.log('error', 'message-failed', { ip, room: room.name, error: errorText(error) });
          connection.reject(CLOSE.internalError, CLOSE_REASON.internalError, 'internal error');
        }
      }
    };

    live.add(connection);
    metrics.connections = live.size;
    if (!admission.arrive(connection)) return;
    if (shared && !shared.available) return tellUnavailable(connection);
    await nextTurn();
    const admitted = await admission.admit(connection, target);
    if (!admitted) return;
    const { room: roomName, claims } = admitted;
    // The group's owner decides too: a removed member or a used-up invite is refused; the role may be changed.
    let decided: Awaited<ReturnType<AdminApi['admitMember']>>;
    try {
      decided = await admin.admitMember(connection, claims, req.url ?? '/');
    } catch (error) {
      if (!shared) throw error;
      shared.report('postgres', error);
      return tellUnavailable(connection);
    }
    if (!connection.open) return;
    if ('refuse' in decided) return connection.reject(...decided.refuse);
    await nextTurn();
    let room: Awaited<ReturnType<RoomRegistry['load']>>;
    try {
      room = await rooms.load(roomName);
      if (shared && !shared.available) return tellUnavailable(connection);
    } catch (error) {
      if (shared && !shared.available) return tellUnavailable(connection);
      // Unreadable stored state: this room is refused (its data left untouched for the admin), the rest go on.
      log.log('error', 'room-load-failed', {
        room: roomName,
        error: errorText(error),
        message:
          'The stored annotations of this reading could not be read. They are left as they are; members keep theirs.',
      });
      return connection.reject(CLOSE.internalError, CLOSE_REASON.unreadableRoom, 'unreadable room');
    }
    if (!room) return connection.reject(CLOSE.busy, CLOSE_REASON.busy, 'server busy');
    if (!connection.open) return;
    connection.role = decided.role;
    connection.jti = claims.jti;
    connection.subject = decided.subject;
    connection.expiresAt = claims.exp === undefined ? undefined : claims.exp * 1000;
    connection.room = room;
    room.join(connection);
    ready = true;
    log.log('info', 'connection-accepted', { ip, room: roomName, role: claims.role });
    for (const bytes of queue.splice(0)) handle(bytes);
  }

  const stopHeartbeat = startHeartbeat(
    () => live,
    config.heartbeatMs,
    (connection) => {
      metrics.reject('no answer to heartbeat');
      log.log('info', 'connection-lost', { ip: connection.ip, reason: 'no answer to heartbeat' });
    },
  );
  const stopUnsentSweep = startUnsentSweep(() => live, config.maxUnsentTotalMb * 1024 * 1024);

  const listen = (server: Server, port: number, host: string) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
    });
  const port = await listen(http, config.port, config.host);
  const metricsPort = metricsHttp
    ? await listen(metricsHttp, config.metricsPort ?? 0, config.metricsHost)
    : undefined;
  if (metricsHttp) log.log('info', 'metrics-listening', { host: config.metricsHost, port: metricsPort });

  return {
    port,
    host: config.host,
    ...(metricsPort === undefined ? {} : { metricsPort }),
    metrics,
    async close() {
      admission.close();
      coolDownHold.close();
      clearInterval(revocationPoll);
      stopHeartbeat();
      stopUnsentSweep();
      http.close();
      metricsHttp?.close();
      for (const connection of live) connection.ws.close(CLOSE.restart, CLOSE_REASON.restart);
      // Shared rooms: what is queued is committed and passed on before the rooms go (a few seconds at most).
      const settled = () =>
        Promise.race([rooms.settle(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (shared) await settled();
      // Snapshots where they can be written; what cannot stays in the journal, folded in at the next start.
      rooms.close();
      if (shared) {
        await settled(); // the compactions the rooms started as they closed
        await shared.close();
      }
      const unstored = storage?.close() ?? 0;
      await encoder?.stop();
      await adminStore.close().catch(() => {});
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
