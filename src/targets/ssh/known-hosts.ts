/**
 * Host key checking against OpenSSH known_hosts files, as `ssh` does it: an entry names the host as
 * `host` (port 22) or `[host]:port`, plain, as a pattern list (`*`, `?`, `!negation`) or hashed
 * (`|1|salt|hmac`); `@revoked` marks a key that must be refused. A host we have no key for is
 * refused unless the caller opted into trust-on-first-use (`accept-new`), which appends the key.
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KnownHostEntry {
  marker: '' | '@revoked' | '@cert-authority';
  /** The host field as written (pattern list or hashed). */
  hosts: string;
  keyType: string;
  /** The key blob, base64 as in the file. */
  key: string;
  file: string;
  line: number;
}

export type HostKeyVerdict =
  | { status: 'known'; entry: KnownHostEntry }
  | { status: 'unknown' }
  | { status: 'changed'; entry: KnownHostEntry }
  | { status: 'revoked'; entry: KnownHostEntry };

/** How a host is named in known_hosts: the bare name on port 22, `[name]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** Parses known_hosts text; comments, blank lines and malformed lines are ignored (ssh does too). */
export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = '';
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') {
      marker = fields.shift() as KnownHostEntry['marker'];
    }
    const [hosts, keyType, key] = fields;
    if (!hosts || !keyType || !key) return;
    entries.push({ marker, hosts, keyType, key, file, line: index + 1 });
  });
  return entries;
}

function globToRegExp(pattern: string): RegExp {
  const body = [...pattern]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

/** Whether an entry's host field names `name` (already in `[host]:port` form when needed). */
export function hostFieldMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) {
    const [, , salt, hash] = hosts.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const glob = negated ? pattern.slice(1) : pattern;
    if (!globToRegExp(glob).test(name)) continue;
    if (negated) return false; // a matching negation overrides every positive match
    matched = true;
  }
  return matched;
}

/** The algorithm name inside an SSH public key blob (its first length-prefixed string). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString('latin1');
}

/** `SHA256:…` as `ssh-keygen -l` and ssh's prompts print it. */
export function keyFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

export function verifyHostKey(
  entries: readonly KnownHostEntry[],
  name: string,
  blob: Buffer,
): HostKeyVerdict {
  const type = keyTypeOf(blob);
  const key = blob.toString('base64');
  const forHost = entries.filter(
    (entry) => entry.marker !== '@cert-authority' && hostFieldMatches(entry.hosts, name),
  );
  const revoked = entries.find((entry) => entry.marker === '@revoked' && entry.key === key);
  if (revoked) return { status: 'revoked', entry: revoked };
  const known = forHost.find((entry) => entry.marker === '' && entry.key === key);
  if (known) return { status: 'known', entry: known };
  // A different key of the same type is what a man in the middle (or a reinstalled host) shows.
  const changed = forHost.find((entry) => entry.marker === '' && entry.keyType === type);
  if (changed) return { status: 'changed', entry: changed };
  return { status: 'unknown' };
}

/** Reads known_hosts files; a missing file is an empty one (ssh's behaviour). */
export async function loadKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const entries: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new Error(
        `cannot read known_hosts file ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      );
    }
    entries.push(...parseKnownHosts(text, file));
  }
  return entries;
}

/** The known_hosts line recording `blob` as the key of `name`. */
export function knownHostLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}`;
}

/** Appends a host key (accept-new), creating the file (and ~/.ssh) when needed. */
export async function appendKnownHost(file: string, name: string, blob: Buffer): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const existing = await readFile(file, 'utf8').catch(() => '');
  const separator = existing !== '' && !existing.endsWith('\n') ? '\n' : '';
  await appendFile(file, `${separator}${knownHostLine(name, blob)}\n`, { mode: 0o600 });
}
