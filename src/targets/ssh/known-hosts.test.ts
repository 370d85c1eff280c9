import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  hostFieldMatches,
  keyFingerprint,
  keyTypeOf,
  knownHostsName,
  loadKnownHosts,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';

/** An SSH public key blob: string type, then opaque bytes (enough for matching and fingerprints). */
function blob(type: string, body: string): Buffer {
  const name = Buffer.from(type);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(name.length);
  return Buffer.concat([length, name, Buffer.from(body)]);
}

const KEY_A = blob('ssh-ed25519', 'key-a');
const KEY_B = blob('ssh-ed25519', 'key-b');
const KEY_RSA = blob('ssh-rsa', 'key-r');
const b64 = (key: Buffer) => key.toString('base64');

describe('known_hosts', () => {
  it.each([
    ['example.com', 22, 'example.com'],
    ['example.com', 2222, '[example.com]:2222'],
    ['::1', 2222, '[::1]:2222'],
  ])('names %s port %i as %s', (host, port, name) => {
    expect(knownHostsName(host, port)).toBe(name);
  });

  it.each([
    ['example.com', 'example.com', true],
    ['EXAMPLE.com', 'example.com', true],
    ['a.com,example.com', 'example.com', true],
    ['*.example.com', 'www.example.com', true],
    ['*.example.com', 'example.com', false],
    ['host?', 'host1', true],
    ['*.example.com,!bad.example.com', 'bad.example.com', false],
    ['[example.com]:2222', '[example.com]:2222', true],
    ['example.com', '[example.com]:2222', false],
    ['exa.ple', 'exaXple', false],
  ])('host field %s matches %s: %s', (field, name, expected) => {
    expect(hostFieldMatches(field, name)).toBe(expected);
  });

  it.skipIf(!existsSync('/usr/bin/ssh-keygen'))('matches entries hashed by ssh-keygen -H', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-kh-'));
    try {
      const file = join(dir, 'known_hosts');
      await writeFile(file, `[10.0.0.5]:2222 ssh-ed25519 ${b64(KEY_A)}\n`);
      execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
      const entries = await loadKnownHosts([file]);
      expect(entries[0]?.hosts).toMatch(/^\|1\|/);
      expect(verifyHostKey(entries, '[10.0.0.5]:2222', KEY_A).status).toBe('known');
      expect(verifyHostKey(entries, '10.0.0.5', KEY_A).status).toBe('unknown');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells known, unknown, changed and revoked keys apart', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `host1 ssh-ed25519 ${b64(KEY_A)}`,
        `host2 ssh-rsa ${b64(KEY_RSA)}`,
        `@revoked * ssh-ed25519 ${b64(KEY_B)}`,
        'garbage-line',
      ].join('\n'),
      'kh',
    );
    expect(entries).toHaveLength(3);
    expect(verifyHostKey(entries, 'host1', KEY_A)).toMatchObject({ status: 'known', entry: { line: 3 } });
    expect(verifyHostKey(entries, 'host3', KEY_A).status).toBe('unknown');
    // host2 has only an RSA key: an ed25519 key is new, not changed (ssh behaves the same way).
    expect(verifyHostKey(entries, 'host2', KEY_A).status).toBe('unknown');
    expect(verifyHostKey(entries, 'host1', blob('ssh-ed25519', 'other'))).toMatchObject({
      status: 'changed',
      entry: { file: 'kh', line: 3 },
    });
    expect(verifyHostKey(entries, 'host1', KEY_B).status).toBe('revoked');
  });

  it('reads the key type and the SHA256 fingerprint as ssh-keygen prints them', () => {
    expect(keyTypeOf(KEY_RSA)).toBe('ssh-rsa');
    expect(keyFingerprint(KEY_A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('appends a new host on its own line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-kh-'));
    try {
      const file = join(dir, 'sub', 'known_hosts');
      await appendKnownHost(file, '[h]:2', KEY_A);
      await writeFile(file, `${await readFile(file, 'utf8')}# no newline`);
      await appendKnownHost(file, 'h', KEY_B);
      expect((await readFile(file, 'utf8')).split('\n')).toEqual([
        `[h]:2 ssh-ed25519 ${b64(KEY_A)}`,
        '# no newline',
        `h ssh-ed25519 ${b64(KEY_B)}`,
        '',
      ]);
      const entries = await loadKnownHosts([file, join(dir, 'absent')]);
      expect(verifyHostKey(entries, 'h', KEY_B).status).toBe('known');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
