/**
 * What an SSH target is: `ssh://user@host:port` plus how to authenticate and how to trust the host.
 */
import { VouchError } from '../../core/errors.js';

export interface SshTargetOptions {
  /** `ssh://user@host[:port]`; the user defaults to the local user name, the port to 22. */
  url: string;
  /** A private key file (OpenSSH or PEM format, unencrypted). */
  privateKeyFile?: string;
  /** The private key itself (OpenSSH or PEM text): the server passes its stored key, never a file. */
  privateKey?: string;
  /** ssh-agent socket; default: $SSH_AUTH_SOCK. */
  agentSocket?: string;
  /** known_hosts file to check the host key against; default ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts. */
  knownHostsFile?: string;
  /** known_hosts text checked instead of any file (the server's stored lines for the target). */
  knownHosts?: string;
  /** Trust exactly the host key with this fingerprint (`SHA256:…`, as `ssh-keygen -lf` prints it). */
  hostKeyFingerprint?: string;
  /** Trust a host seen for the first time and record its key (ssh's StrictHostKeyChecking=accept-new). */
  acceptNewHostKey?: boolean;
  /**
   * With `knownHosts`, where an accepted new host key goes (a known_hosts line) instead of a file.
   * Called only once authentication succeeded.
   */
  onNewHostKey?: (line: string) => Promise<void>;
  /**
   * Use only what these options name: no $SSH_AUTH_SOCK, no ~/.ssh identities, no default
   * known_hosts files. The server sets it, so a target can never borrow the server's own
   * credentials or trust.
   */
  isolated?: boolean;
  /** Retry reads refused for permission through `sudo -n`, and run commands and the walk under it. */
  sudo?: boolean;
  /** Connection + handshake + authentication (default 20 s). */
  connectTimeoutMs?: number;
  /** SSH keepalive interval (default 15 s; the link is declared dead after 3 unanswered). */
  keepaliveIntervalMs?: number;
}

export interface SshAddress {
  user: string;
  host: string;
  port: number;
}

/** Parses `ssh://user@host:port` (IPv6 hosts in brackets). A bad URL names itself. */
export function parseSshUrl(url: string, defaultUser: string): SshAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new VouchError('SSH_BAD_TARGET', `--target ${url}: not a URL (expected ssh://user@host:port)`);
  }
  if (parsed.protocol !== 'ssh:') {
    throw new VouchError(
      'SSH_BAD_TARGET',
      `--target ${url}: unsupported scheme ${parsed.protocol} (expected ssh://user@host:port)`,
    );
  }
  if (parsed.password !== '') {
    throw new VouchError(
      'SSH_BAD_TARGET',
      `--target ${url}: passwords in the URL are not supported; use a key or ssh-agent`,
    );
  }
  if ((parsed.pathname !== '' && parsed.pathname !== '/') || parsed.search !== '' || parsed.hash !== '') {
    throw new VouchError(
      'SSH_BAD_TARGET',
      `--target ${url}: unexpected path or query (expected ssh://user@host:port)`,
    );
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new VouchError('SSH_BAD_TARGET', `--target ${url}: no host`);
  const port = parsed.port === '' ? 22 : Number(parsed.port);
  const user = parsed.username === '' ? defaultUser : decodeURIComponent(parsed.username);
  return { user, host, port };
}

/** `user@host:port`, as error messages and reports name the target. */
export function formatAddress(address: SshAddress): string {
  const host = address.host.includes(':') ? `[${address.host}]` : address.host;
  return `${address.user}@${host}:${address.port}`;
}
