/**
 * A real OpenSSH server on loopback for the SSH target tests: its own host key, an authorized
 * client key, a free port, optionally chrooted into a fixture root filesystem. Needs root (sshd
 * changes user and chroots) and /usr/sbin/sshd; `sshdAvailable()` says whether tests can run.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && existsSync('/usr/bin/ssh-keygen') && process.getuid?.() === 0;
}

export interface Sshd {
  port: number;
  /** The listening sshd; each connection is served by a child of it. */
  pid: number;
  dir: string;
  /** Private key authorized for root (and `extraUser`, if any). */
  clientKey: string;
  /** A key nobody authorized. */
  wrongKey: string;
  /** known_hosts holding the server's real host key for [127.0.0.1]:port. */
  knownHosts: string;
  /** known_hosts holding a different key for the same name (as after a host key change). */
  changedKnownHosts: string;
  url(user?: string): string;
  stop(): Promise<void>;
}

export interface SshdOptions {
  /** Serve this directory as the sessions' root (sshd ChrootDirectory). */
  chroot?: string;
  /**
   * Serve an overlay of this directory (with `files` added on top, and /proc mounted) as the
   * sessions' root. The mounts live in a private mount namespace of the sshd: nothing outside it,
   * and nothing in the lower directory, ever sees them.
   */
  overlay?: { lower: string; files: Record<string, { text: string; mode: number }> };
  /** Users allowed to log in with the client key (default: root). */
  users?: string[];
  /**
   * Authenticate accounts through PAM (default no). Without PAM, sshd refuses accounts whose
   * password is locked (`!` in shadow), which is how service accounts usually are.
   */
  usePam?: boolean;
}

export function unshareAvailable(): boolean {
  return existsSync('/usr/bin/unshare') && existsSync('/usr/bin/mount');
}

function keygen(file: string, type = 'ed25519'): void {
  execFileSync('/usr/bin/ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'vouch-test', '-f', file]);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForBanner(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sshd exited (${child.exitCode}): ${log()}`);
    const ready = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString('latin1').startsWith('SSH-'));
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`sshd did not answer on port ${port}: ${log()}`);
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-sshd-'));
  const hostKey = join(dir, 'host_key');
  const clientKey = join(dir, 'client_key');
  const wrongKey = join(dir, 'wrong_key');
  const otherHostKey = join(dir, 'other_host_key');
  keygen(hostKey);
  keygen(clientKey);
  keygen(wrongKey);
  keygen(otherHostKey);
  // sshd reads authorized_keys with the user's privileges: let a non-root user through.
  await chmod(dir, 0o711);
  await writeFile(join(dir, 'authorized_keys'), await readFile(`${clientKey}.pub`), { mode: 0o644 });
  let chroot = options.chroot;
  let overlayDir: string | undefined;
  if (options.overlay) {
    // Under /run: sshd wants every component of ChrootDirectory root-owned and not writable by
    // others, which /tmp (1777) is not.
    overlayDir = await mkdtemp('/run/vouch-sshd-overlay-');
    for (const sub of ['upper', 'work', 'root']) await mkdir(join(overlayDir, sub));
    for (const [path, file] of Object.entries(options.overlay.files)) {
      const full = join(overlayDir, 'upper', path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, file.text, { mode: file.mode });
      await chmod(full, file.mode);
    }
    chroot = join(overlayDir, 'root');
  }
  // sshd accepts a ChrootDirectory only when every component of its path is root-owned and not
  // writable by others; a checkout under /tmp (1777) fails that. So a plain chroot is served
  // through a read-only bind mount under /run, made in the sshd's own mount namespace.
  let bindDir: string | undefined;
  const bindSource = options.chroot !== undefined && !options.overlay ? options.chroot : undefined;
  if (bindSource !== undefined) {
    bindDir = await mkdtemp('/run/vouch-sshd-chroot-');
    chroot = bindDir;
  }
  const port = await freePort();
  const name = `[127.0.0.1]:${port}`;
  const publicPart = async (file: string) =>
    (await readFile(`${file}.pub`, 'utf8')).split(' ').slice(0, 2).join(' ');
  const knownHosts = join(dir, 'known_hosts');
  const changedKnownHosts = join(dir, 'known_hosts_changed');
  await writeFile(knownHosts, `${name} ${await publicPart(hostKey)}\n`);
  await writeFile(changedKnownHosts, `${name} ${await publicPart(otherHostKey)}\n`);
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${hostKey}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The key files live under /tmp (world-writable), which StrictModes would refuse.
    'StrictModes no',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PermitRootLogin prohibit-password',
    `UsePAM ${options.usePam ? 'yes' : 'no'}`,
    'PrintMotd no',
    'PrintLastLog no',
    `AllowUsers ${(options.users ?? ['root']).join(' ')}`,
    // In-process SFTP: works inside a chroot that has no sftp-server binary at the same path.
    'Subsystem sftp internal-sftp',
    ...(chroot ? [`ChrootDirectory ${chroot}`] : []),
    'LogLevel ERROR',
  ].join('\n');
  const configFile = join(dir, 'sshd_config');
  await writeFile(configFile, `${config}\n`);
  // sshd refuses to start without its privilege separation directory.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  let log = '';
  const sshdArgv = [SSHD, '-D', '-e', '-f', configFile];
  const child =
    options.overlay && overlayDir
      ? spawn(
          '/usr/bin/unshare',
          [
            '--mount',
            '--propagation',
            'private',
            '--',
            '/bin/sh',
            '-ec',
            // Positional parameters only: no path is ever spliced into the script.
            'mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/root"; mount -t proc proc "$2/root/proc"; shift 2; exec "$@"',
            'sh',
            options.overlay.lower,
            overlayDir,
            ...sshdArgv,
          ],
          { stdio: ['ignore', 'ignore', 'pipe'] },
        )
      : bindSource !== undefined && bindDir
        ? spawn(
            '/usr/bin/unshare',
            [
              '--mount',
              '--propagation',
              'private',
              '--',
              '/bin/sh',
              '-ec',
              // Positional parameters only: no path is ever spliced into the script.
              'mount --bind "$1" "$2"; mount -o remount,bind,ro "$2"; shift 2; exec "$@"',
              'sh',
              bindSource,
              bindDir,
              ...sshdArgv,
            ],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          )
        : spawn(SSHD, sshdArgv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => {
    if (log.length < 8192) log += chunk.toString('utf8');
  });
  try {
    await waitForBanner(port, child, () => log);
  } catch (error) {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
    if (overlayDir) await rm(overlayDir, { recursive: true, force: true });
    if (bindDir) await rm(bindDir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    pid: child.pid as number,
    dir,
    clientKey,
    wrongKey,
    knownHosts,
    changedKnownHosts,
    url: (user = 'root') => `ssh://${user}@127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) {
        await new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        });
      }
      await rm(dir, { recursive: true, force: true });
      // The mounts went with the sshd's namespace; what is left is the upper layer / mount point.
      if (overlayDir) await rm(overlayDir, { recursive: true, force: true });
      if (bindDir) await rm(bindDir, { recursive: true, force: true });
    },
  };
}
