import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { authenticate } from '../../../src/server/auth/authenticate.js';
import { login } from '../../../src/server/auth/login.js';
import { setUpSecurity } from '../../../src/server/auth/setup.js';
import { SECRET_PLACES } from '../../../src/server/crypto/secrets.js';
import { openStorage, type Storage } from '../../../src/server/storage/index.js';

describe('server security set-up at start', () => {
  let dir: string;
  let storage: Storage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-setup-'));
    storage = openStorage({ kind: 'sqlite', file: join(dir, 'vouch.db') });
    await storage.migrate();
  });
  afterEach(async () => {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('with no setup: creates both key files 0600 and an admin with a generated password, once', async () => {
    const first = await setUpSecurity(storage, { dataDir: dir, env: {} });
    expect(first.keys).toEqual({
      session: { source: 'file', created: true, file: join(dir, 'jwt.key') },
      secrets: { source: 'file', created: true, file: join(dir, 'secret.key'), oldKeys: 0 },
    });
    for (const f of ['jwt.key', 'secret.key']) expect((await stat(join(dir, f))).mode & 0o777).toBe(0o600);
    if (!first.admin.created) throw new Error('expected an admin');
    const password = first.admin.generatedPassword!;
    const session = await login(storage, first.sessions, { login: 'admin', password });
    const sealed = first.secrets.seal('s3cret', SECRET_PLACES.scanConfigVariables('c1'));

    // A restart: same keys, so sessions and sealed values survive; no second admin.
    const second = await setUpSecurity(storage, { dataDir: dir, env: {} });
    expect(second.admin).toEqual({ created: false });
    expect(second.keys.session.created).toBe(false);
    expect(
      await authenticate({ storage, sessions: second.sessions }, `Bearer ${session!.token}`),
    ).toMatchObject({
      kind: 'user',
      role: 'admin',
    });
    expect(second.secrets.open(sealed, SECRET_PLACES.scanConfigVariables('c1')).plaintext).toBe('s3cret');
  });

  it('takes the admin password and both keys from the environment, writing no key files', async () => {
    const env = {
      VOUCH_ADMIN_PASSWORD: 'from-the-environment',
      VOUCH_JWT_SECRET: randomBytes(32).toString('hex'),
      VOUCH_SECRET_KEY: randomBytes(32).toString('base64'),
      VOUCH_SECRET_KEYS_OLD: randomBytes(32).toString('base64'),
    };
    const security = await setUpSecurity(storage, { dataDir: dir, env, sessionTtlSeconds: 600 });
    expect(security.keys).toEqual({
      session: { source: 'env', created: false },
      secrets: { source: 'env', created: false, oldKeys: 1 },
    });
    expect(security.admin).toMatchObject({ created: true });
    expect(security.admin.created && security.admin.generatedPassword).toBeUndefined();
    const session = await login(storage, security.sessions, {
      login: 'admin',
      password: 'from-the-environment',
    });
    expect(session).toBeDefined();
    const claims = await security.sessions.verify(session!.token);
    expect(claims!.expiresAt - claims!.issuedAt).toBe(600);
    expect((await readdir(dir)).filter((f) => f.endsWith('.key'))).toEqual([]);
  });
});
