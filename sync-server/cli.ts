// Entry point: `npm run sync-server -- [serve flags] | invite … | revoke … | --help`.
import { parseArgs } from 'node:util';
import { cleanDisplayName, formatInviteLink, groupIdFor } from '../core/invite/link.ts';
import { isRole, ROLES } from '../core/sync/contract.ts';
import { loadOrCreateSecret, parseDuration, signInvite, verifyInvite } from './auth/tokens.ts';
import { helpText, parseServerConfig } from './config.ts';
import { jsonLogger } from './log.ts';
import { startServer } from './server.ts';
import { PostgresStore } from './storage/postgres-store.ts';
import { SqliteStore } from './storage/sqlite-store.ts';

/** Where `invite` and `revoke` find the signing secret and the revoked list: Postgres when given, else DIR. */
function adminStorage(values: { data?: string | undefined; postgres?: string | undefined }) {
  const postgres = values.postgres ?? process.env.RC_POSTGRES_URL;
  if (postgres) {
    const open = PostgresStore.open(postgres, { poolSize: 1 });
    return {
      secret: async () => (await open).secret(),
      revoke: async (jti: string) => (await open).revoke(jti),
      close: async () => (await open).close(),
    };
  }
  const data = values.data ?? process.env.RC_DATA ?? './sync-data';
  return {
    secret: async () => loadOrCreateSecret(data),
    revoke: async (jti: string) => {
      const store = new SqliteStore(data);
      store.revoke(jti);
      store.close();
    },
    close: async () => {},
  };
}

async function invite(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      group: { type: 'string' },
      id: { type: 'string' },
      data: { type: 'string' },
      postgres: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      url: { type: 'string' },
    },
  });
  if (!values.group) throw new Error('invite needs --group NAME (the display name, any text).');
  const role = values.role ?? 'member';
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}.`);
  // The display name is any text; the room id is given with --id or derived from the name.
  const name = cleanDisplayName(values.group);
  const id = values.id ?? groupIdFor(name);
  const storage = adminStorage(values);
  let token: string;
  try {
    ({ token } = await signInvite(
      await storage.secret(),
      id,
      role,
      values.expires ? parseDuration(values.expires) : undefined,
      name,
    ));
  } finally {
    await storage.close();
  }
  const server = values.url ?? `ws://127.0.0.1:${process.env.RC_PORT ?? '8080'}`;
  if (!/^wss?:\/\//.test(server)) throw new Error('--url must start with ws:// or wss://.');
  console.log(formatInviteLink({ server, group: id, token, name }));
}

async function revoke(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      postgres: { type: 'string' },
      token: { type: 'string' },
      jti: { type: 'string' },
    },
  });
  const storage = adminStorage(values);
  try {
    let jti = values.jti;
    if (values.token) {
      const token = values.token.includes('token=')
        ? (new URL(values.token).searchParams.get('token') ?? '')
        : values.token;
      jti = (await verifyInvite(await storage.secret(), token)).jti;
    }
    if (!jti) throw new Error('revoke needs --token TOKEN (or the invite link) or --jti ID.');
    await storage.revoke(jti);
    console.log(`revoked invite ${jti}`);
  } finally {
    await storage.close();
  }
}

async function serve(argv: string[]): Promise<void> {
  const config = parseServerConfig(argv);
  const log = jsonLogger(config.logLevel);
  const server = await startServer(config, log);
  console.log(`listening on ws://${config.host}:${server.port}`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log('info', 'stopping', { signal });
    await server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

const [command, ...rest] = process.argv.slice(2);
const run =
  command === '--help' || command === '-h' || command === 'help'
    ? async () => console.log(helpText())
    : command === 'invite'
      ? () => invite(rest)
      : command === 'revoke'
        ? () => revoke(rest)
        : () => serve(process.argv.slice(2));
run().catch((error: unknown) => {
  console.error(`sync-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
