/**
 * What `vouch serve` does for security at start, in one call: load (or create) the session
 * signing key and the secret-sealing keys, and bootstrap the first admin. Returns what the caller
 * must print once (a generated admin password) and where the keys came from — never the keys.
 */
import { loadSecretKeys, SecretBox } from '../crypto/secrets.js';
import type { Storage } from '../storage/index.js';
import { type EnsureAdminResult, ensureAdmin } from './bootstrap.js';
import { loadJwtKey, SessionTokens } from './sessions.js';

export interface ServerSecurity {
  sessions: SessionTokens;
  secrets: SecretBox;
  admin: EnsureAdminResult;
  /** For the startup log: where each key came from, and whether it was created now. */
  keys: {
    session: { source: 'env' | 'file'; file?: string; created: boolean };
    secrets: { source: 'env' | 'file'; file?: string; created: boolean; oldKeys: number };
  };
}

export interface SecurityOptions {
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  sessionTtlSeconds?: number;
}

/** Storage must be migrated first. */
export async function setUpSecurity(storage: Storage, options: SecurityOptions): Promise<ServerSecurity> {
  const env = options.env ?? process.env;
  const jwt = await loadJwtKey(options.dataDir, env);
  const secretKeys = await loadSecretKeys(options.dataDir, env);
  const password = env.VOUCH_ADMIN_PASSWORD;
  const admin = await ensureAdmin(storage, password !== undefined && password !== '' ? { password } : {});
  const where = (k: { source: 'env' | 'file'; file?: string; created: boolean }) => ({
    source: k.source,
    created: k.created,
    ...(k.file !== undefined ? { file: k.file } : {}),
  });
  return {
    sessions: new SessionTokens(
      jwt.key,
      options.sessionTtlSeconds !== undefined ? { ttlSeconds: options.sessionTtlSeconds } : {},
    ),
    secrets: new SecretBox(secretKeys),
    admin,
    keys: { session: where(jwt), secrets: { ...where(secretKeys), oldKeys: secretKeys.old.length } },
  };
}
