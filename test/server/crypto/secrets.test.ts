import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyFileError, loadOrCreateKeyFile } from '../../../src/server/crypto/key-file.js';
import {
  loadSecretKeys,
  SECRET_KEY_FILE,
  SECRET_PLACES,
  SecretBox,
  SecretError,
  type SecretPlace,
} from '../../../src/server/crypto/secrets.js';

const place: SecretPlace = {
  table: 'scan_configs',
  column: 'variables_encrypted',
  rowId: '0190a0b0-0000-7000-8000-000000000001',
};
const key = () => randomBytes(32);

function openError(fn: () => unknown): SecretError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SecretError);
    return err as SecretError;
  }
  throw new Error('expected a SecretError');
}

/** Flip one bit in the n-th ':'-separated part of a sealed value. */
function flip(sealed: string, part: number): string {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[part]!, 'base64');
  bytes[0]! ^= 0x01;
  parts[part] = bytes.toString('base64');
  return parts.join(':');
}

describe('SecretBox (AES-256-GCM envelope)', () => {
  it('round-trips text, including empty and non-ASCII, in the v1 format', () => {
    const box = new SecretBox({ current: key(), old: [] });
    for (const plaintext of ['', 's3cr3t', 'pässwörd ✓ 🔑', 'x'.repeat(100_000)]) {
      const sealed = box.seal(plaintext, place);
      expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/]{22}==:[A-Za-z0-9+/=]*$/);
      if (plaintext !== '') {
        // Neither the text nor its base64 appears in the sealed value.
        expect(sealed).not.toContain(plaintext.slice(0, 6));
        expect(sealed).not.toContain(Buffer.from(plaintext).toString('base64').slice(0, 8));
      }
      expect(box.open(sealed, place)).toEqual({ plaintext, stale: false });
    }
  });

  it('uses a fresh IV per seal: the same value seals differently each time', () => {
    const box = new SecretBox({ current: key(), old: [] });
    const a = box.seal('same', place);
    const b = box.seal('same', place);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('detects a tampered %s', (_name, part) => {
    const box = new SecretBox({ current: key(), old: [] });
    const sealed = box.seal('hunter2 and more', place);
    expect(openError(() => box.open(flip(sealed, part), place)).code).toBe('undecryptable');
  });

  it('detects a truncated ciphertext', () => {
    const box = new SecretBox({ current: key(), old: [] });
    const parts = box.seal('hunter2 and more', place).split(':');
    parts[3] = Buffer.from(parts[3]!, 'base64').subarray(0, 4).toString('base64');
    expect(openError(() => box.open(parts.join(':'), place)).code).toBe('undecryptable');
  });

  it.each([
    ['another row', { ...place, rowId: '0190a0b0-0000-7000-8000-000000000002' }],
    ['another column', { ...place, column: 'variables' }],
    ['another table', { ...place, table: 'alert_channels' }],
  ])('refuses a value moved to %s (AAD binds it to its place)', (_name, elsewhere) => {
    const box = new SecretBox({ current: key(), old: [] });
    const sealed = box.seal('webhook-signing-secret', place);
    expect(openError(() => box.open(sealed, elsewhere)).code).toBe('undecryptable');
  });

  it('refuses a value sealed under a key it does not have', () => {
    const sealed = new SecretBox({ current: key(), old: [] }).seal('x', place);
    const other = new SecretBox({ current: key(), old: [key()] });
    const err = openError(() => other.open(sealed, place));
    expect(err.code).toBe('undecryptable');
    // The message reveals nothing of the value.
    expect(err.message).not.toContain('x"');
  });

  it('rotates: old keys still open (stale), reseal moves the value to the current key', () => {
    const k1 = key();
    const k2 = key();
    const before = new SecretBox({ current: k1, old: [] });
    const sealedUnderK1 = before.seal('rotate me', place);

    const after = new SecretBox({ current: k2, old: [k1] });
    expect(after.open(sealedUnderK1, place)).toEqual({ plaintext: 'rotate me', stale: true });
    const resealed = after.reseal(sealedUnderK1, place);
    expect(resealed).toBeDefined();
    expect(after.open(resealed!, place)).toEqual({ plaintext: 'rotate me', stale: false });
    expect(after.reseal(resealed!, place)).toBeUndefined();

    // Once k1 is retired, the resealed value still opens and the old one does not.
    const retired = new SecretBox({ current: k2, old: [] });
    expect(retired.open(resealed!, place).plaintext).toBe('rotate me');
    expect(openError(() => retired.open(sealedUnderK1, place)).code).toBe('undecryptable');
  });

  it.each([
    ['no separators', 'garbage', 'malformed'],
    ['too few parts', 'v1:aaaa:bbbb', 'malformed'],
    ['not base64', 'v1:!!!!:bbbb:cccc', 'malformed'],
    [
      'short iv',
      `v1:${Buffer.alloc(8).toString('base64')}:${Buffer.alloc(16).toString('base64')}:`,
      'malformed',
    ],
    [
      'unknown version',
      `v9:${Buffer.alloc(12).toString('base64')}:${Buffer.alloc(16).toString('base64')}:`,
      'unsupported_version',
    ],
  ])('rejects a malformed value (%s)', (_name, sealed, code) => {
    const box = new SecretBox({ current: key(), old: [] });
    expect(openError(() => box.open(sealed, place)).code).toBe(code);
  });

  it('keeps the named places apart: a scan config secret cannot pose as an alert channel secret', () => {
    const box = new SecretBox({ current: key(), old: [] });
    const id = '0190a0b0-0000-7000-8000-000000000009';
    const sealed = box.seal('{"db_password":"x"}', SECRET_PLACES.scanConfigVariables(id));
    expect(box.open(sealed, SECRET_PLACES.scanConfigVariables(id)).plaintext).toBe('{"db_password":"x"}');
    expect(
      openError(() => box.open(sealed, SECRET_PLACES.alertChannelSecret(id, 'variables_encrypted'))).code,
    ).toBe('undecryptable');
  });

  it('refuses keys of the wrong size and empty places', () => {
    expect(() => new SecretBox({ current: randomBytes(16), old: [] })).toThrow(/32 bytes/);
    const box = new SecretBox({ current: key(), old: [] });
    expect(() => box.seal('x', { ...place, rowId: '' })).toThrow(SecretError);
  });
});

describe('secret keys from the environment or the data directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 0600 key file on first start and reuses it afterwards', async () => {
    const dataDir = join(dir, 'data');
    const first = await loadSecretKeys(dataDir, {});
    expect(first).toMatchObject({ source: 'file', created: true, old: [] });
    expect(first.current).toHaveLength(32);
    const info = await stat(join(dataDir, SECRET_KEY_FILE));
    expect(info.mode & 0o777).toBe(0o600);
    const second = await loadSecretKeys(dataDir, {});
    expect(second.created).toBe(false);
    expect(second.current.equals(first.current)).toBe(true);
    // No temporary files are left behind.
    expect(await readdir(dataDir)).toEqual([SECRET_KEY_FILE]);
  });

  it('hands every concurrent first start the same key', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, () => loadOrCreateKeyFile(dir, 'race.key', 32)),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    for (const r of results) expect(r.key.equals(results[0]!.key)).toBe(true);
    expect(await readdir(dir)).toEqual(['race.key']);
  });

  it('refuses a key file others can read, and a corrupt one, naming the file', async () => {
    const file = join(dir, SECRET_KEY_FILE);
    await writeFile(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o644 });
    await chmod(file, 0o644);
    await expect(loadSecretKeys(dir, {})).rejects.toThrow(KeyFileError);
    await expect(loadSecretKeys(dir, {})).rejects.toThrow(`${file}: permissions 644 are too open`);
    await writeFile(file, 'c2hvcnQ=\n', { mode: 0o600 });
    await chmod(file, 0o600);
    await expect(loadSecretKeys(dir, {})).rejects.toThrow(`${file}: must decode to 32 bytes, got 5`);
  });

  it('prefers VOUCH_SECRET_KEY and reads old keys from VOUCH_SECRET_KEYS_OLD', async () => {
    const current = key();
    const old = [key(), key()];
    const loaded = await loadSecretKeys(dir, {
      VOUCH_SECRET_KEY: current.toString('base64'),
      VOUCH_SECRET_KEYS_OLD: ` ${old[0]!.toString('base64')} ,${old[1]!.toString('base64')}`,
    });
    expect(loaded.source).toBe('env');
    expect(loaded.current.equals(current)).toBe(true);
    expect(loaded.old.map((k) => k.toString('hex'))).toEqual(old.map((k) => k.toString('hex')));
    // Nothing is written when the key comes from the environment.
    expect(await readdir(dir)).toEqual([]);
  });

  it('names the variable when an environment key is bad', async () => {
    await expect(loadSecretKeys(dir, { VOUCH_SECRET_KEY: 'not base64!' })).rejects.toThrow(
      'VOUCH_SECRET_KEY is not base64',
    );
    await expect(
      loadSecretKeys(dir, { VOUCH_SECRET_KEY: randomBytes(16).toString('base64') }),
    ).rejects.toThrow('VOUCH_SECRET_KEY must decode to 32 bytes, got 16');
    await expect(
      loadSecretKeys(dir, {
        VOUCH_SECRET_KEY: key().toString('base64'),
        VOUCH_SECRET_KEYS_OLD: `${key().toString('base64')},xx`,
      }),
    ).rejects.toThrow('VOUCH_SECRET_KEYS_OLD entry 2 must decode to 32 bytes');
  });

  it('seals with a key from a file that a later process opens', async () => {
    const sealed = new SecretBox(await loadSecretKeys(dir, {})).seal('persisted', place);
    const reopened = new SecretBox(await loadSecretKeys(dir, {}));
    expect(reopened.open(sealed, place).plaintext).toBe('persisted');
    expect((await readFile(join(dir, SECRET_KEY_FILE), 'utf8')).trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
