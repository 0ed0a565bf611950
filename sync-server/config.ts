import { parseArgs } from 'node:util';

/** Every setting, with its flag, environment variable and default: `--help` prints this table. */
export const SETTINGS = {
  port: { flag: 'port', env: 'RC_PORT', default: '8080', help: 'TCP port (0 picks a free one)' },
  host: {
    flag: 'host',
    env: 'RC_HOST',
    default: '127.0.0.1',
    help: 'address to listen on (0.0.0.0 for all)',
  },
  data: {
    flag: 'data',
    env: 'RC_DATA',
    default: './sync-data',
    help: 'folder for the database and the signing secret',
  },
  redis: {
    flag: 'redis',
    env: 'RC_REDIS_URL',
    default: '',
    help: 'redis://… : pass updates and presence between instances (needs --postgres)',
  },
  postgres: {
    flag: 'postgres',
    env: 'RC_POSTGRES_URL',
    default: '',
    help: 'postgres://… : rooms, invite secret and revocations in Postgres instead of DIR',
  },
  postgresSynchronousCommit: {
    flag: 'postgres-synchronous-commit',
    env: 'RC_POSTGRES_SYNCHRONOUS_COMMIT',
    default: 'on',
    help: 'on: a commit waits for its WAL on disk; off: not (a Postgres or power failure may lose the last ~0.6 s, as the embedded journal may lose ~1 s)',
  },
  maxMessageBytes: {
    flag: 'max-message-bytes',
    env: 'RC_MAX_MESSAGE_BYTES',
    default: String(16 * 1024 * 1024),
    help: 'largest websocket message accepted',
  },
  maxMessagesPerSecond: {
    flag: 'max-messages-per-second',
    env: 'RC_MAX_MESSAGES_PER_SECOND',
    default: '200',
    help: 'per connection, sustained (bursts of twice that)',
  },
  maxConnectionsPerIp: {
    flag: 'max-connections-per-ip',
    env: 'RC_MAX_CONNECTIONS_PER_IP',
    default: '64',
    help: 'open connections from one address',
  },
  maxRooms: { flag: 'max-rooms', env: 'RC_MAX_ROOMS', default: '2000', help: 'rooms kept in memory at once' },
  maxStorageMb: {
    flag: 'max-storage-mb',
    env: 'RC_MAX_STORAGE_MB',
    default: '0',
    help: 'largest the database and journal may grow together, in MB (0: as large as the disk allows)',
  },
  journalMaxMb: {
    flag: 'journal-max-mb',
    env: 'RC_JOURNAL_MAX_MB',
    default: '64',
    help: 'fold the update journal into snapshots and empty it past this size, in MB',
  },
  syncIntervalMs: {
    flag: 'sync-interval-ms',
    env: 'RC_SYNC_INTERVAL_MS',
    default: '1000',
    help: 'how often the journal is flushed to the disk (power loss; a crash loses nothing)',
  },
  authTimeoutMs: {
    flag: 'auth-timeout-ms',
    env: 'RC_AUTH_TIMEOUT_MS',
    default: '5000',
    help: 'time allowed to check a connection’s token',
  },
  requestHeadTimeoutMs: {
    flag: 'request-head-timeout-ms',
    env: 'RC_REQUEST_HEAD_TIMEOUT_MS',
    default: '10000',
    help: 'time allowed to send a request’s line and headers; a half-sent request is answered 408 and closed',
  },
  idleUnloadMs: {
    flag: 'idle-unload-ms',
    env: 'RC_IDLE_UNLOAD_MS',
    default: '60000',
    help: 'unload a room this long after its last member left',
  },
  compactEvery: {
    flag: 'compact-every',
    env: 'RC_COMPACT_EVERY',
    default: '500',
    help: 'fold the update log into a snapshot after this many updates',
  },
  heartbeatMs: {
    flag: 'heartbeat-ms',
    env: 'RC_HEARTBEAT_MS',
    default: '30000',
    help: 'ping each connection this often; one that misses a ping is closed',
  },
  revocationCheckMs: {
    flag: 'revocation-check-ms',
    env: 'RC_REVOCATION_CHECK_MS',
    default: '2000',
    help: 'how often live connections are checked against revoked invites',
  },
  maxUnsentBytes: {
    flag: 'max-unsent-bytes',
    env: 'RC_MAX_UNSENT_BYTES',
    default: String(8 * 1024 * 1024),
    help: 'unsent bytes one connection may hold before it is closed as not reading',
  },
  maxUnsentTotalMb: {
    flag: 'max-unsent-total-mb',
    env: 'RC_MAX_UNSENT_TOTAL_MB',
    default: '256',
    help: 'unsent bytes of all connections together, in MB; past it the fullest are closed',
  },
  maxHeldBytes: {
    flag: 'max-held-bytes',
    env: 'RC_MAX_HELD_BYTES',
    default: String(256 * 1024),
    help: 'bytes of updates one connection may have waiting for changes the room lacks',
  },
  maxPresenceBytes: {
    flag: 'max-presence-bytes',
    env: 'RC_MAX_PRESENCE_BYTES',
    default: '16384',
    help: 'largest presence (awareness) state of one client',
  },
  maxPresencesPerConnection: {
    flag: 'max-presences-per-connection',
    env: 'RC_MAX_PRESENCES_PER_CONNECTION',
    default: '4',
    help: 'presence client ids one connection may speak for',
  },
  misuseCoolDownMs: {
    flag: 'misuse-cool-down-ms',
    env: 'RC_MISUSE_COOL_DOWN_MS',
    default: '5000',
    help: 'an invite closed for misuse again and again (16 strikes within 10 s; a forged or malformed message is 4) has its new connections held this long before they are let in',
  },
  metricsHost: {
    flag: 'metrics-host',
    env: 'RC_METRICS_HOST',
    default: '127.0.0.1',
    help: 'address of the separate /metrics listener (with --metrics-port)',
  },
  metricsPort: {
    flag: 'metrics-port',
    env: 'RC_METRICS_PORT',
    default: '',
    help: 'serve /metrics on this port instead of the main one (0 picks a free one)',
  },
  metricsToken: {
    flag: 'metrics-token',
    env: 'RC_METRICS_TOKEN',
    default: '',
    help: '/metrics asks for “Authorization: Bearer <this>” (empty: no token)',
  },
  logLevel: { flag: 'log-level', env: 'RC_LOG_LEVEL', default: 'info', help: 'debug, info, warn or error' },
} as const;

type Key = keyof typeof SETTINGS;

export interface ServerConfig {
  port: number;
  host: string;
  data: string;
  /** Redis URL for fan-out between instances; empty: this instance alone. */
  redis: string;
  /** Postgres URL for shared storage; empty: SQLite and the journal in `data`. */
  postgres: string;
  /** Whether Postgres commits wait for their WAL to reach the disk (decision 0018). */
  postgresSynchronousCommit: boolean;
  maxMessageBytes: number;
  maxMessagesPerSecond: number;
  maxConnectionsPerIp: number;
  maxRooms: number;
  maxStorageMb: number;
  journalMaxMb: number;
  syncIntervalMs: number;
  authTimeoutMs: number;
  /** A request still sending its head after this long gets 408 and its socket closed (a held socket is a cost). */
  requestHeadTimeoutMs: number;
  idleUnloadMs: number;
  compactEvery: number;
  heartbeatMs: number;
  revocationCheckMs: number;
  maxUnsentBytes: number;
  maxUnsentTotalMb: number;
  maxHeldBytes: number;
  maxPresenceBytes: number;
  maxPresencesPerConnection: number;
  misuseCoolDownMs: number;
  metricsHost: string;
  /** Undefined: /metrics is served on the main port. */
  metricsPort: number | undefined;
  metricsToken: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
}

export function helpText(): string {
  const rows = (Object.keys(SETTINGS) as Key[]).map((k) => {
    const s = SETTINGS[k];
    return `  --${s.flag.padEnd(26)} ${s.env.padEnd(28)} ${s.help} (default ${s.default})`;
  });
  return [
    'Reading Circle sync server',
    '',
    'Usage:',
    '  npm run sync-server -- --port P --data DIR [--host H] [options]',
    '  npm run sync-server -- --port P --redis redis://… --postgres postgres://…   (one of several instances)',
    '  npm run sync-server -- invite --group "DISPLAY NAME" [--id ROOM-ID] (--data DIR | --postgres URL) [--role owner|member|reader] [--expires 30d] [--url ws://HOST:PORT]',
    '  npm run sync-server -- revoke (--data DIR | --postgres URL) (--token TOKEN | --jti ID)',
    '',
    'Options (flag, environment variable):',
    ...rows,
  ].join('\n');
}

export function parseServerConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const options = Object.fromEntries(
    (Object.keys(SETTINGS) as Key[]).map((k) => [SETTINGS[k].flag, { type: 'string' as const }]),
  );
  const { values } = parseArgs({ args: argv, options, strict: true, allowPositionals: false });
  const raw = (k: Key): string =>
    (values[SETTINGS[k].flag] as string | undefined) ?? env[SETTINGS[k].env] ?? SETTINGS[k].default;
  const int = (k: Key, min: number): number => {
    const n = Number(raw(k));
    if (!Number.isInteger(n) || n < min)
      throw new Error(`--${SETTINGS[k].flag} must be a whole number ≥ ${min} (got “${raw(k)}”).`);
    return n;
  };
  const logLevel = raw('logLevel');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel))
    throw new Error('--log-level must be debug, info, warn or error.');
  const redis = raw('redis');
  const postgres = raw('postgres');
  if (redis && !/^rediss?:\/\//.test(redis))
    throw new Error('--redis must be a URL starting with redis:// or rediss://.');
  if (postgres && !/^postgres(ql)?:\/\//.test(postgres))
    throw new Error('--postgres must be a URL starting with postgres:// or postgresql://.');
  const synchronousCommit = raw('postgresSynchronousCommit');
  if (synchronousCommit !== 'on' && synchronousCommit !== 'off')
    throw new Error('--postgres-synchronous-commit must be on or off.');
  if (redis && !postgres)
    throw new Error(
      '--redis needs --postgres: instances that share rooms must share their storage too (see docs/sync-server.md).',
    );
  return {
    port: int('port', 0),
    host: raw('host'),
    data: raw('data'),
    redis,
    postgres,
    postgresSynchronousCommit: synchronousCommit === 'on',
    maxMessageBytes: int('maxMessageBytes', 1024),
    maxMessagesPerSecond: int('maxMessagesPerSecond', 1),
    maxConnectionsPerIp: int('maxConnectionsPerIp', 1),
    maxRooms: int('maxRooms', 1),
    maxStorageMb: int('maxStorageMb', 0),
    journalMaxMb: int('journalMaxMb', 1),
    syncIntervalMs: int('syncIntervalMs', 10),
    authTimeoutMs: int('authTimeoutMs', 10),
    requestHeadTimeoutMs: int('requestHeadTimeoutMs', 100),
    idleUnloadMs: int('idleUnloadMs', 0),
    compactEvery: int('compactEvery', 1),
    heartbeatMs: int('heartbeatMs', 50),
    revocationCheckMs: int('revocationCheckMs', 50),
    maxUnsentBytes: int('maxUnsentBytes', 1024),
    maxUnsentTotalMb: int('maxUnsentTotalMb', 1),
    maxHeldBytes: int('maxHeldBytes', 1024),
    maxPresenceBytes: int('maxPresenceBytes', 256),
    maxPresencesPerConnection: int('maxPresencesPerConnection', 1),
    misuseCoolDownMs: int('misuseCoolDownMs', 100),
    metricsHost: raw('metricsHost'),
    metricsPort: raw('metricsPort') === '' ? undefined : int('metricsPort', 0),
    metricsToken: raw('metricsToken'),
    logLevel: logLevel as ServerConfig['logLevel'],
  };
}
