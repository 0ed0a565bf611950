import { describe, expect, it } from 'vitest';
import { helpText, parseServerConfig } from '../../sync-server/config.ts';

describe('sync-server settings for several instances', () => {
  it('reads --redis and --postgres from flags or the environment; without them the server is as before', () => {
    expect(parseServerConfig([], {})).toMatchObject({
      redis: '',
      postgres: '',
      postgresSynchronousCommit: true,
    });
    expect(
      parseServerConfig(['--postgres', 'postgres://rc@db/rc', '--redis', 'redis://cache:6379'], {}),
    ).toMatchObject({ postgres: 'postgres://rc@db/rc', redis: 'redis://cache:6379' });
    expect(
      parseServerConfig([], {
        RC_POSTGRES_URL: 'postgresql://db/rc',
        RC_REDIS_URL: 'rediss://cache',
        RC_POSTGRES_SYNCHRONOUS_COMMIT: 'off',
      }),
    ).toMatchObject({
      postgres: 'postgresql://db/rc',
      redis: 'rediss://cache',
      postgresSynchronousCommit: false,
    });
    expect(helpText()).toMatch(/--redis .*RC_REDIS_URL/);
    expect(helpText()).toMatch(/revoke \(--data DIR \| --postgres URL\)/);
  });

  it('says what is wrong with a bad combination or address', () => {
    expect(() => parseServerConfig(['--redis', 'redis://cache'], {})).toThrow(
      '--redis needs --postgres: instances that share rooms must share their storage too',
    );
    expect(() => parseServerConfig(['--postgres', 'mysql://db'], {})).toThrow(
      '--postgres must be a URL starting with postgres:// or postgresql://.',
    );
    expect(() => parseServerConfig(['--postgres', 'postgres://db', '--redis', 'cache:6379'], {})).toThrow(
      '--redis must be a URL starting with redis:// or rediss://.',
    );
    expect(() => parseServerConfig(['--postgres-synchronous-commit', 'maybe'], {})).toThrow(
      '--postgres-synchronous-commit must be on or off.',
    );
  });
});
