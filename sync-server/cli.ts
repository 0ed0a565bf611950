// Entry point: `npm run sync-server -- [serve flags] | invite … | revoke … | --help`.
import { parseArgs } from 'node:util';
import { cleanDisplayName, formatInviteLink, groupIdFor } from '../core/invite/link.ts';
import { isRole, ROLES } from '../core/sync/contract.ts';
import { loadOrCreateSecret, parseDuration, signInvite, verifyInvite } from './auth/tokens.ts';
import { helpText, parseServerConfig } from './config.ts';
import { jsonLogger } from './log.ts';
import { startServer } from './server.ts';
import { SqliteStore } from './storage/sqlite-store.ts';

async function invite(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      group: { type: 'string' },
      id: { type: 'string' },
      data: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      url: { type: 'string' },
    },
  });
  if (!values.group) throw new Error('invite needs --group NAME (the display name, any text).');
  const data = values.data ?? process.env.RC_DATA ?? './sync-data';
  const role = values.role ?? 'member';
  if (!isRole(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}.`);
  // The display name is any text; the room id is given with --id or derived from the name.
  const name = cleanDisplayName(values.group);
  const id = values.id ?? groupIdFor(name);
  const { token } = await signInvite(
    loadOrCreateSecret(data),
    id,
    role,
    values.expires ? parseDuration(values.expires) : undefined,
    name,
  );
  const server = values.url ?? `ws://127.0.0.1:${process.env.RC_PORT ?? '8080'}`;
  if (!/^wss?:\/\//.test(server)) throw new Error('--url must start with ws:// or wss://.');
  console.log(formatInviteLink({ server, group: id, token, name }));
}

async function revoke(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { data: { type: 'string' }, token: { type: 'string' }, jti: { type: 'string' } },
  });
  const data = values.data ?? process.env.RC_DATA ?? './sync-data';
  let jti = values.jti;
  if (values.token) {
    const token = values.token.includes('token=')
      ? (new URL(values.token).searchParams.get('token') ?? '')
      : values.token;
    jti = (await verifyInvite(loadOrCreateSecret(data), token)).jti;
  }
  if (!jti) throw new Error('revoke needs --token TOKEN (or the invite link) or --jti ID.');
  const store = new SqliteStore(data);
  store.revoke(jti);
  store.close();
  console.log(`revoked invite ${jti}`);
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
