/**
 * How a host target is reached: this machine (no connection), an offline root filesystem on the
 * server's disk (`{root}`), or a remote host over SSH (`{type: 'ssh', url, …}`, agentless, through
 * the same transport as `vouch scan --target ssh://…`).
 *
 * An SSH connection is stored in two parts: the `connection` JSON (URL, host trust, sudo: shown to
 * every reader) and the private key, sealed with the server's SecretBox in
 * `targets.credentials_encrypted` (AAD bound to the row) and never returned: readers see
 * `hasPrivateKey`.
 */
// ssh2 is CommonJS: Node's ESM loader cannot see `utils` as a named export (only what its
// module.exports literal names), so it is read off the default export.
import ssh2 from 'ssh2';

const { utils } = ssh2;

import { z } from 'zod';
import { VouchError } from '../../../core/errors.js';
import type { TargetOptions } from '../../../targets/index.js';
import {
  hostFieldMatches,
  keyFingerprint,
  knownHostsName,
  parseKnownHosts,
} from '../../../targets/ssh/known-hosts.js';
import { parseSshUrl } from '../../../targets/ssh/ssh-options.js';
import { SECRET_PLACES, type SecretBox } from '../../crypto/secrets.js';
import type { Target } from '../../storage/types.js';

const absolutePath = z.string().min(1).max(4096).startsWith('/', 'must be an absolute path');

const rootConnection = z.strictObject({
  type: z.literal('root').optional(),
  root: absolutePath,
});

const FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** The URL's address, or an issue on `url`. */
function sshAddress(url: string) {
  try {
    const address = parseSshUrl(url, '');
    if (address.user === '') return 'name the user: ssh://user@host:port';
    return address;
  } catch (error) {
    // parseSshUrl speaks CLI ("--target …: …"); keep only the reason.
    const message = (error as Error).message;
    const prefix = `--target ${url}: `;
    return message.startsWith(prefix) ? message.slice(prefix.length) : message;
  }
}

/** Why ssh cannot use this text as a private key, or undefined when it can. */
export function privateKeyProblem(text: string): string | undefined {
  const parsed = utils.parseKey(text);
  if (parsed instanceof Error) {
    return /passphrase/i.test(parsed.message)
      ? 'encrypted keys are not supported: store an unencrypted key, or use agentSocket'
      : `not a private key ssh can use (${parsed.message})`;
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined || !key.isPrivateKey()) return 'a public key; give the private key';
  return undefined;
}

/** Why these known_hosts lines cannot vouch for `name`, or undefined when one of them can. */
function knownHostsProblem(text: string, name: string): string | undefined {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
  const entries = parseKnownHosts(text, 'knownHosts');
  if (entries.length !== lines.length)
    return 'every line must be "host keytype base64-key" (known_hosts format)';
  const bad = entries.find((entry) => !/^[A-Za-z0-9+/]+={0,2}$/.test(entry.key));
  if (bad !== undefined) return `line ${bad.line}: the key is not base64`;
  if (!entries.some((entry) => entry.marker === '' && hostFieldMatches(entry.hosts, name))) {
    return `no line names ${name}, the host of url (ssh-keyscan -p PORT HOST prints them)`;
  }
  return undefined;
}

const sshConnection = z
  .strictObject({
    type: z.literal('ssh'),
    url: z.string().min(1).max(2048).meta({ description: 'ssh://user@host[:port] (user required, port 22)' }),
    privateKey: z.string().min(1).max(16_384).optional().meta({
      description:
        'OpenSSH or PEM private key text, unencrypted; sealed at rest, never returned (answers show hasPrivateKey). Omit on PATCH to keep the stored key.',
      writeOnly: true,
    }),
    agentSocket: absolutePath
      .optional()
      .meta({ description: "instead of privateKey: an ssh-agent socket on the server's host" }),
    knownHosts: z
      .string()
      .min(1)
      .max(65_536)
      .optional()
      .meta({ description: "known_hosts line(s) for the host (ssh-keyscan); one must name url's host" }),
    hostKeyFingerprint: z
      .string()
      .regex(FINGERPRINT, 'must be SHA256:<43 base64 characters>')
      .optional()
      .meta({ description: 'instead of knownHosts: the host key fingerprint, SHA256:… (ssh-keygen -lf)' }),
    insecureAcceptNew: z.boolean().default(false).meta({
      description:
        'without knownHosts or hostKeyFingerprint: trust the host key seen at the first scan and record it (accept-new)',
    }),
    sudo: z.boolean().default(false).meta({
      description: 'retry reads refused for permission, and run commands and the walk, under sudo -n',
    }),
  })
  .superRefine((value, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    const address = sshAddress(value.url);
    if (typeof address === 'string') issue('url', address);
    if (value.privateKey !== undefined) {
      const problem = privateKeyProblem(value.privateKey);
      if (problem !== undefined) issue('privateKey', problem);
    }
    if (value.privateKey !== undefined && value.agentSocket !== undefined)
      issue('agentSocket', 'give privateKey or agentSocket, not both');
    if (value.knownHosts !== undefined && value.hostKeyFingerprint !== undefined)
      issue('hostKeyFingerprint', 'give knownHosts or hostKeyFingerprint, not both');
    if (value.insecureAcceptNew && value.hostKeyFingerprint !== undefined)
      issue('insecureAcceptNew', 'a pinned hostKeyFingerprint accepts no other key');
    if (value.knownHosts === undefined && value.hostKeyFingerprint === undefined && !value.insecureAcceptNew)
      issue(
        'knownHosts',
        'required: the host key as known_hosts line(s), or hostKeyFingerprint, or set insecureAcceptNew to trust the key seen at the first scan',
      );
    if (value.knownHosts !== undefined && typeof address !== 'string') {
      const problem = knownHostsProblem(value.knownHosts, knownHostsName(address.host, address.port));
      if (problem !== undefined) issue('knownHosts', problem);
    }
  });

/** What POST/PATCH /targets accept as `connection` (also the OpenAPI schema). */
export const connectionSchema = z.discriminatedUnion('type', [rootConnection, sshConnection]);
export type ConnectionInput = z.infer<typeof connectionSchema>;

/** An SSH connection as stored in `targets.connection` (no secret). */
export interface StoredSshConnection {
  type: 'ssh';
  url: string;
  agentSocket?: string;
  knownHosts?: string;
  hostKeyFingerprint?: string;
  insecureAcceptNew: boolean;
  sudo: boolean;
}

/** The connection's secrets, sealed as one JSON object. */
export interface TargetCredentials {
  privateKey: string;
}

/** What a connection change does to the stored key: replace it, drop it, or leave it. */
export type CredentialsChange = { set: TargetCredentials } | 'remove' | 'keep';

/**
 * The connection JSON to store and what happens to the key. `current` is the target being
 * changed (undefined on create): an SSH connection sent without privateKey or agentSocket keeps
 * the key stored for it, as password fields do in other scanners' credential forms.
 */
export function splitConnection(
  input: ConnectionInput | null,
  current: Target | undefined,
): { connection: Record<string, unknown> | null; credentials: CredentialsChange } {
  if (input === null) return { connection: null, credentials: 'remove' };
  if (input.type !== 'ssh') return { connection: { root: input.root }, credentials: 'remove' };
  const { privateKey, ...rest } = input;
  const stored: StoredSshConnection = rest;
  const connection = { ...stored };
  if (privateKey !== undefined) return { connection, credentials: { set: { privateKey } } };
  if (stored.agentSocket !== undefined) return { connection, credentials: 'remove' };
  if (current?.connection?.hasPrivateKey === true) return { connection, credentials: 'keep' };
  throw new VouchError(
    'TARGET_NO_CREDENTIALS',
    'body.connection.privateKey: required (or agentSocket) for an ssh connection',
  );
}

export function sealCredentials(
  secrets: SecretBox,
  targetId: string,
  credentials: TargetCredentials,
): string {
  return secrets.seal(JSON.stringify(credentials), SECRET_PLACES.targetCredentials(targetId));
}

function openCredentials(secrets: SecretBox, targetId: string, sealed: string): TargetCredentials {
  try {
    return JSON.parse(secrets.open(sealed, SECRET_PLACES.targetCredentials(targetId)).plaintext);
  } catch {
    // The cause (wrong key, tampered row) is deliberately not told apart (ADR 0005).
    throw new VouchError(
      'TARGET_CREDENTIALS_SEALED',
      `target ${targetId}: its stored private key cannot be opened (was the server's secret key changed without VOUCH_SECRET_KEYS_OLD?); store the key again`,
    );
  }
}

/** Derived fields a reader sees but the row does not store. */
export function withoutDerived(connection: Record<string, unknown>): Record<string, unknown> {
  const { hasPrivateKey: _derived, ...stored } = connection;
  return stored;
}

/**
 * How the scan worker opens the target: `openTarget` options. SSH connections are isolated: the
 * server's own ssh-agent, ~/.ssh keys and known_hosts are never used for a target.
 */
export function transportOptions(
  target: Target,
  sealed: string | null,
  secrets: SecretBox,
  onNewHostKey: (line: string) => Promise<void>,
): TargetOptions {
  const connection = target.connection;
  if (connection === null) return {};
  if (connection.type !== 'ssh') {
    const root = connection.root;
    return typeof root === 'string' && root !== '' ? { root } : {};
  }
  const ssh = connection as unknown as StoredSshConnection;
  const credentials = sealed === null ? undefined : openCredentials(secrets, target.id, sealed);
  return {
    ssh: {
      url: ssh.url,
      isolated: true,
      sudo: ssh.sudo,
      acceptNewHostKey: ssh.insecureAcceptNew,
      // Always text (possibly empty): a host key accepted under insecureAcceptNew comes back
      // through onNewHostKey instead of going into a file.
      knownHosts: ssh.knownHosts ?? '',
      onNewHostKey,
      ...(ssh.hostKeyFingerprint !== undefined ? { hostKeyFingerprint: ssh.hostKeyFingerprint } : {}),
      ...(credentials !== undefined ? { privateKey: credentials.privateKey } : {}),
      ...(ssh.agentSocket !== undefined ? { agentSocket: ssh.agentSocket } : {}),
    },
  };
}

/** The SHA256 fingerprint of a known_hosts line's key, for the audit trail. */
export function lineFingerprint(line: string): string {
  const key = line.split(/\s+/)[2] ?? '';
  return keyFingerprint(Buffer.from(key, 'base64'));
}
