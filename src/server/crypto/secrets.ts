/**
 * Secrets at rest: sensitive scan-config variable overrides and alert channel secrets are stored
 * sealed with AES-256-GCM, never in clear text.
 *
 * Sealed format (text, fits any column): `v1:<iv>:<tag>:<ciphertext>`, each part standard base64.
 * - `v1` names the algorithm and layout, so a future format can sit next to old rows.
 * - iv: 12 random bytes per seal (GCM's native nonce size). Random nonces under one key are safe
 *   for far more than 2^32 seals, orders of magnitude beyond what a Vouch database holds.
 * - tag: the 16-byte GCM authentication tag: any change to iv, ciphertext or AAD fails to open.
 * - AAD ("additional authenticated data") is the secret's place: table, column and row id
 *   (`secretContext`). It is not stored; the caller supplies it when opening. A sealed value
 *   copied into another row or field — e.g. an attacker with database write access moving an
 *   alert channel's secret into a scan config they can read — fails to open.
 *
 * Key rotation: seal always uses the current key; open tries the current key, then each old key
 * (VOUCH_SECRET_KEYS_OLD). GCM authentication tells a wrong key apart reliably (a forgery chance of
 * 2^-128 per try), so the format needs no key id. `open` reports `stale` when an old key opened a
 * value, and `reseal` re-encrypts it under the current key, so a rotation job can walk the rows
 * and then the old key can be retired.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeKey, loadOrCreateKeyFile } from './key-file.js';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const SECRET_KEY_FILE = 'secret.key';

export type SecretErrorCode = 'malformed' | 'unsupported_version' | 'undecryptable';

/**
 * Opening failed. The message never says more than the code: whether a key was wrong or the data
 * was tampered with is indistinguishable by design, and neither the value nor keys are included.
 */
export class SecretError extends Error {
  constructor(
    readonly code: SecretErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretError';
  }
}

/** Where a sealed value lives; becomes the AAD. */
export interface SecretPlace {
  table: string;
  column: string;
  rowId: string;
}

/** The places Vouch seals values today; new ones get an entry here so names stay consistent. */
export const SECRET_PLACES = {
  /** JSON object of a scan configuration's sensitive variable overrides. */
  scanConfigVariables: (scanConfigId: string): SecretPlace => ({
    table: 'scan_configs',
    column: 'variables_encrypted',
    rowId: scanConfigId,
  }),
  /** JSON object of a target's connection secrets (an SSH target's private key). */
  targetCredentials: (targetId: string): SecretPlace => ({
    table: 'targets',
    column: 'credentials_encrypted',
    rowId: targetId,
  }),
  /** One secret field of an alert channel (webhook signing secret, SMTP password, PagerDuty key). */
  alertChannelSecret: (channelId: string, field: string): SecretPlace => ({
    table: 'alert_channels',
    column: field,
    rowId: channelId,
  }),
} as const;

export function secretContext(place: SecretPlace): Buffer {
  for (const [field, value] of Object.entries(place)) {
    if (value === '' || value.includes('\n')) {
      throw new SecretError('malformed', `secret place ${field} must be a non-empty single line`);
    }
  }
  // Newline-separated so no two different places can produce the same bytes.
  return Buffer.from(`vouch-secret\n${VERSION}\n${place.table}\n${place.column}\n${place.rowId}`, 'utf8');
}

export interface SecretKeys {
  current: Buffer;
  /** Earlier keys, only ever used to open. */
  old: Buffer[];
}

export class SecretBox {
  private readonly keys: Buffer[];

  constructor(keys: SecretKeys) {
    for (const key of [keys.current, ...keys.old]) {
      if (key.length !== KEY_BYTES) throw new Error(`secret keys must be ${KEY_BYTES} bytes`);
    }
    // Current first; an old key equal to the current one would only be tried twice.
    this.keys = [keys.current, ...keys.old.filter((k) => !k.equals(keys.current))];
  }

  seal(plaintext: string, place: SecretPlace): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.keys[0]!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(secretContext(place));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
  }

  /** The plaintext, and whether an old key was needed (the value should be resealed). */
  open(sealed: string, place: SecretPlace): { plaintext: string; stale: boolean } {
    const { iv, tag, ciphertext } = parse(sealed);
    const aad = secretContext(place);
    for (const [index, key] of this.keys.entries()) {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(aad);
      decipher.setAuthTag(tag);
      try {
        const plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
        return { plaintext, stale: index > 0 };
      } catch {
        // Wrong key, wrong place or tampered: try the next key.
      }
    }
    throw new SecretError(
      'undecryptable',
      'sealed value does not open with any configured key (wrong key, moved or tampered with)',
    );
  }

  /** Re-encrypt under the current key when an old key sealed it; undefined when already current. */
  reseal(sealed: string, place: SecretPlace): string | undefined {
    const { plaintext, stale } = this.open(sealed, place);
    return stale ? this.seal(plaintext, place) : undefined;
  }
}

function parse(sealed: string): { iv: Buffer; tag: Buffer; ciphertext: Buffer } {
  const parts = sealed.split(':');
  if (parts.length !== 4)
    throw new SecretError('malformed', 'sealed value must be v1:<iv>:<tag>:<ciphertext>');
  const [version, iv, tag, ciphertext] = parts as [string, string, string, string];
  if (version !== VERSION)
    throw new SecretError('unsupported_version', `unsupported sealed format "${version}"`);
  const b64 = /^[A-Za-z0-9+/]*={0,2}$/;
  if (![iv, tag, ciphertext].every((p) => b64.test(p))) {
    throw new SecretError('malformed', 'sealed value parts must be base64');
  }
  const parsed = {
    iv: Buffer.from(iv, 'base64'),
    tag: Buffer.from(tag, 'base64'),
    ciphertext: Buffer.from(ciphertext, 'base64'),
  };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) {
    throw new SecretError(
      'malformed',
      `sealed value needs a ${IV_BYTES}-byte iv and a ${TAG_BYTES}-byte tag`,
    );
  }
  return parsed;
}

export interface LoadedSecretKeys extends SecretKeys {
  /** Where the current key came from, for the startup log (never the key itself). */
  source: 'env' | 'file';
  /** The key file, when the key came from one. */
  file?: string;
  created: boolean;
}

/**
 * VOUCH_SECRET_KEY (base64, 32 bytes) when set, else `<dataDir>/secret.key` (created 0600 on
 * first start). VOUCH_SECRET_KEYS_OLD: comma-separated base64 keys still accepted for opening.
 *
 * Several servers sharing one PostgreSQL database must share the key, so they must get it from the
 * environment (or a copied key file): a key file generated per machine would make each server
 * unable to open the others' secrets.
 */
export async function loadSecretKeys(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<LoadedSecretKeys> {
  const old = (env.VOUCH_SECRET_KEYS_OLD ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s, i) => decodeKey(s, KEY_BYTES, (m) => new Error(`VOUCH_SECRET_KEYS_OLD entry ${i + 1} ${m}`)));
  const fromEnv = env.VOUCH_SECRET_KEY?.trim();
  if (fromEnv) {
    const current = decodeKey(fromEnv, KEY_BYTES, (m) => new Error(`VOUCH_SECRET_KEY ${m}`));
    return { current, old, source: 'env', created: false };
  }
  const { key, file, created } = await loadOrCreateKeyFile(dataDir, SECRET_KEY_FILE, KEY_BYTES);
  return { current: key, old, source: 'file', file, created };
}
