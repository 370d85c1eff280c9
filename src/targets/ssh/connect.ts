/**
 * Opening an authenticated, host-verified SSH connection with ssh2. Every failure becomes one
 * line naming the target: unreachable, host key unknown / changed / revoked, authentication.
 */
import { readFile } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { Client, type ConnectConfig } from 'ssh2';
import { VouchError } from '../../core/errors.js';
import {
  appendKnownHost,
  type HostKeyVerdict,
  keyFingerprint,
  keyTypeOf,
  knownHostLine,
  knownHostsName,
  loadKnownHosts,
  parseKnownHosts,
  verifyHostKey,
} from './known-hosts.js';
import { formatAddress, parseSshUrl, type SshAddress, type SshTargetOptions } from './ssh-options.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const DEFAULT_KEEPALIVE_MS = 15_000;
/** ssh's default identities, tried in its order when neither a key nor an agent is given. */
const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

export interface SshConnection {
  client: Client;
  address: SshAddress;
  /** `user@host:port` */
  label: string;
}

function localUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'root';
  }
}

async function readPrivateKey(file: string, label: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (error) {
    throw new VouchError(
      'SSH_KEY_UNREADABLE',
      `ssh ${label}: cannot read private key ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

async function defaultIdentity(): Promise<{ file: string; key: Buffer } | undefined> {
  for (const name of DEFAULT_IDENTITIES) {
    const file = join(homedir(), '.ssh', name);
    const key = await readFile(file).catch(() => undefined);
    if (key) return { file, key };
  }
  return undefined;
}

function hostKeyError(
  verdict: HostKeyVerdict,
  label: string,
  name: string,
  blob: Buffer,
  files: string[],
): VouchError {
  const key = `${keyTypeOf(blob)} ${keyFingerprint(blob)}`;
  switch (verdict.status) {
    case 'changed':
      return new VouchError(
        'SSH_HOST_KEY_CHANGED',
        `ssh ${label}: HOST KEY CHANGED for ${name}: it offers ${key}, but ${verdict.entry.file}:${verdict.entry.line} holds another ${verdict.entry.keyType} key (someone may be intercepting the connection, or the host was reinstalled); refusing to connect`,
      );
    case 'revoked':
      return new VouchError(
        'SSH_HOST_KEY_REVOKED',
        `ssh ${label}: host key ${key} of ${name} is revoked in ${verdict.entry.file}:${verdict.entry.line}; refusing to connect`,
      );
    default:
      return new VouchError(
        'SSH_HOST_KEY_UNKNOWN',
        `ssh ${label}: host key of ${name} is unknown (${key}; looked in ${files.join(', ')}); ${files[0] === 'knownHosts' ? "add it to the target's knownHosts after checking the fingerprint, or set insecureAcceptNew" : 'add it with ssh-keyscan after checking the fingerprint, or pass --ssh-insecure-accept-new'}`,
      );
  }
}

/** The message for an ssh2 connection error, by where it happened. */
function connectionError(error: Error & { level?: string; code?: string }, label: string): VouchError {
  switch (error.level) {
    case 'client-authentication':
      return new VouchError(
        'SSH_AUTH_FAILED',
        `ssh ${label}: authentication failed (the key or agent identities were refused)`,
        { cause: error },
      );
    case 'client-timeout':
      return new VouchError('SSH_TIMEOUT', `ssh ${label}: timed out connecting`, { cause: error });
    case 'client-dns':
      return new VouchError(
        'SSH_UNREACHABLE',
        `ssh ${label}: cannot resolve the host name (${error.code ?? error.message})`,
        {
          cause: error,
        },
      );
    case 'client-socket':
      return new VouchError(
        'SSH_UNREACHABLE',
        `ssh ${label}: host unreachable (${error.code ?? error.message})`,
        {
          cause: error,
        },
      );
    default:
      return new VouchError('SSH_CONNECT_FAILED', `ssh ${label}: ${error.message}`, { cause: error });
  }
}

/** What a scan authenticates with and trusts: the options' own, plus ambient defaults unless isolated. */
async function credentials(options: SshTargetOptions, label: string) {
  const knownHostsFiles =
    options.knownHosts !== undefined || options.isolated
      ? []
      : options.knownHostsFile
        ? [options.knownHostsFile]
        : [join(homedir(), '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'];
  const knownHosts = [
    ...(options.knownHosts !== undefined ? parseKnownHosts(options.knownHosts, 'knownHosts') : []),
    ...(await loadKnownHosts(knownHostsFiles)),
  ];
  const agent = options.agentSocket ?? (options.isolated ? undefined : process.env.SSH_AUTH_SOCK);
  let privateKey: Buffer | string | undefined = options.privateKey;
  if (privateKey === undefined && options.privateKeyFile)
    privateKey = await readPrivateKey(options.privateKeyFile, label);
  else if (privateKey === undefined && !agent && !options.isolated)
    privateKey = (await defaultIdentity())?.key;
  if (!privateKey && !agent) {
    throw new VouchError(
      'SSH_NO_CREDENTIALS',
      `ssh ${label}: no credentials: give --ssh-key FILE or start an ssh-agent (SSH_AUTH_SOCK)`,
    );
  }
  return { knownHostsFiles, knownHosts, agent, privateKey };
}

export async function connectSsh(options: SshTargetOptions): Promise<SshConnection> {
  const address = parseSshUrl(options.url, localUser());
  const label = formatAddress(address);
  const name = knownHostsName(address.host, address.port);
  const { knownHostsFiles, knownHosts, agent, privateKey } = await credentials(options, label);
  const places = options.knownHosts !== undefined ? ['knownHosts', ...knownHostsFiles] : knownHostsFiles;

  let hostKeyRefusal: VouchError | undefined;
  let newHostKey: Buffer | undefined;
  const config: ConnectConfig = {
    host: address.host,
    port: address.port,
    username: address.user,
    readyTimeout: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    keepaliveInterval: options.keepaliveIntervalMs ?? DEFAULT_KEEPALIVE_MS,
    keepaliveCountMax: 3,
    ...(privateKey ? { privateKey } : {}),
    ...(agent ? { agent } : {}),
    hostVerifier: (blob: Buffer): boolean => {
      if (options.hostKeyFingerprint !== undefined) {
        if (keyFingerprint(blob) === options.hostKeyFingerprint) return true;
        hostKeyRefusal = new VouchError(
          'SSH_HOST_KEY_CHANGED',
          `ssh ${label}: HOST KEY MISMATCH for ${name}: it offers ${keyTypeOf(blob)} ${keyFingerprint(blob)}, but ${options.hostKeyFingerprint} is expected (someone may be intercepting the connection, or the host was reinstalled); refusing to connect`,
        );
        return false;
      }
      const verdict = verifyHostKey(knownHosts, name, blob);
      if (verdict.status === 'known') return true;
      if (verdict.status === 'unknown' && options.acceptNewHostKey) {
        newHostKey = blob;
        return true;
      }
      hostKeyRefusal = hostKeyError(verdict, label, name, blob, places);
      return false;
    },
  };

  const client = new Client();
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('error', reject);
      try {
        client.connect(config);
      } catch (error) {
        // ssh2 throws synchronously on a key it cannot parse (or an encrypted one without passphrase).
        reject(
          new VouchError(
            'SSH_KEY_INVALID',
            `ssh ${label}: cannot use ${options.privateKey !== undefined ? 'the stored private key' : `private key${options.privateKeyFile ? ` ${options.privateKeyFile}` : ''}`}: ${(error as Error).message}`,
          ),
        );
      }
    });
  } catch (error) {
    client.end();
    if (hostKeyRefusal) throw hostKeyRefusal;
    if (error instanceof VouchError) throw error;
    throw connectionError(error as Error, label);
  }
  // Recorded only once authentication succeeded: a failed attempt must not teach us a key.
  if (newHostKey && options.knownHosts !== undefined) {
    await options.onNewHostKey?.(knownHostLine(name, newHostKey));
  } else if (newHostKey && knownHostsFiles[0] !== undefined) {
    await appendKnownHost(knownHostsFiles[0], name, newHostKey);
  }
  return { client, address, label };
}
