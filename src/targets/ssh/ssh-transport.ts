/**
 * The agentless SSH transport: a live remote host, read over one SFTP session, with commands and
 * the filesystem walk run through SSH exec. Nothing is installed on the target; everything it runs
 * is read-only (stat, cat, find, and the checks' own commands). With `sudo`, reads refused for
 * permission are retried as `sudo -n …` and commands and the walk run under `sudo -n`.
 */
import { posix } from 'node:path';
import type { Client, SFTPWrapper } from 'ssh2';
import { VouchError } from '../../core/errors.js';
import type { CommandValue, DirEntry, FileTreeValue, WalkValue } from '../../core/facts/fact-values.js';
import { mountHolding, parseMountTable, planWalk } from '../mount-table.js';
import type {
  ExecOptions,
  FilesystemStats,
  Transport,
  TransportStat,
  TreeOptions,
  WalkOptions,
} from '../transport.js';
import { WalkAccumulator } from '../walk/accumulator.js';
import { findArguments, findOutputParser } from '../walk/find-walk.js';
import {
  listTree,
  type RawListing,
  type RawOptions,
  treeFindArguments,
  treeFindOutputParser,
} from '../walk/tree-list.js';
import { connectSsh } from './connect.js';
import { Limiter, type RemoteRunResult, runRemote } from './remote-exec.js';
import {
  isSftpDenied,
  isSftpMissing,
  remoteStat,
  SFTP_STATUS,
  SftpFiles,
  sftpError,
  sftpStatus,
} from './sftp-files.js';
import type { SshTargetOptions } from './ssh-options.js';

/**
 * Concurrent exec channels. sshd's MaxSessions (default 10) counts the SFTP session too; staying
 * well below leaves room for an interactive session sharing a multiplexed connection.
 */
const MAX_EXEC_CHANNELS = 4;
/** Helper commands (stat, cat, find for one directory) should answer at once. */
const HELPER_TIMEOUT_MS = 60_000;
/** Error text of GNU tools meaning "no such path" (their exit status does not distinguish it). */
const MISSING_TEXT = /No such file or directory|Not a directory|Too many levels of symbolic links/;

function checkAbsolute(path: string): string {
  if (!path.startsWith('/')) throw new Error(`target paths must be absolute: ${JSON.stringify(path)}`);
  return path;
}

function notRegular(path: string): Error {
  const error = new Error(`cannot read ${path}: not a regular file`);
  (error as NodeJS.ErrnoException).code = 'ENOTREG';
  return error;
}

/**
 * `1700000000.123456789` (stat's %.9Y) -> ms, computed as the local transport does from
 * nanoseconds (Number(ns) / 1e6), so both give the identical double.
 */
function secondsToMs(text: string | undefined): number {
  const [whole = '0', fraction = ''] = (text ?? '0').split('.');
  return Number(BigInt(whole) * 1_000_000_000n + BigInt(fraction.padEnd(9, '0').slice(0, 9))) / 1e6;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

export class SshTransport implements Transport {
  readonly kind = 'ssh' as const;
  readonly live = true;
  readonly description: string;
  private readonly files: SftpFiles;
  private readonly execLimiter = new Limiter(MAX_EXEC_CHANNELS);
  /** Rejects once the connection is gone (see the constructor). */
  private readonly loss: Promise<never>;
  private lost: Error | undefined;
  private closed = false;

  constructor(
    private readonly client: Client,
    sftp: SFTPWrapper,
    /** `user@host:port` */
    readonly label: string,
    private readonly sudo: boolean,
  ) {
    this.description = `ssh ${label}${sudo ? ' (sudo)' : ''}`;
    // ssh2 leaves SFTP requests and channels of a dropped connection pending forever: every
    // request races this promise, which rejects once the link is gone (reset, closed by the
    // server, or keepalives unanswered), so a scan fails with one clear error instead of hanging.
    let signalLoss: (error: Error) => void = () => {};
    this.loss = new Promise<never>((_resolve, reject) => {
      signalLoss = reject;
    });
    this.loss.catch(() => {}); // observed through the races; never an unhandled rejection
    const lose = (reason: string) => {
      if (this.lost || this.closed) return;
      this.lost = new VouchError('SSH_CONNECTION_LOST', `ssh ${label}: connection lost (${reason})`);
      signalLoss(this.lost);
    };
    // Without an 'error' listener ssh2 would crash the process on a dropped link.
    client.on('error', (error) => lose(error.message));
    client.on('close', () => lose('closed by the remote end'));
    this.files = new SftpFiles(sftp, this.loss);
  }

  /** Runs argv remotely (under sudo -n when `privileged`), bounded by the channel limiter. */
  private run(
    argv: readonly string[],
    options: {
      timeoutMs?: number;
      onStdout?: (chunk: Buffer) => void;
      maxStdoutBytes?: number;
      privileged: boolean;
    },
  ): Promise<RemoteRunResult> {
    if (this.lost) return Promise.reject(this.lost);
    // LC_ALL=C: output is parsed by rules; a localised message or number format would break them.
    // `env` runs the command directly, so argv[0] is looked up on the remote PATH like execvp does.
    const command = ['env', 'LC_ALL=C', 'LANG=C', ...argv];
    // Closing the channel does not stop a remote command (sshd leaves it running, and not every
    // sshd honours a signal request), so a timed command also carries its own remote deadline,
    // a second after ours: coreutils `timeout` kills its process group, forks and all.
    const timed =
      options.timeoutMs === undefined
        ? command
        : ['timeout', '-k', '5', `${Math.ceil(options.timeoutMs / 1000) + 1}s`, ...command];
    const full = options.privileged ? ['sudo', '-n', '--', ...timed] : timed;
    return this.execLimiter.run(() => Promise.race([runRemote(this.client, full, options), this.loss]));
  }

  /** A helper command under sudo: null when it reports a missing path, else stdout; throws otherwise. */
  private async sudoHelper(
    operation: string,
    path: string,
    argv: string[],
    maxStdoutBytes?: number,
  ): Promise<RemoteRunResult | null> {
    const result = await this.run(argv, { timeoutMs: HELPER_TIMEOUT_MS, privileged: true, maxStdoutBytes });
    if (result.exitCode === 0) return result;
    if (MISSING_TEXT.test(result.stderr)) return null;
    // All of stderr, on one line: sudo's real complaint often follows a warning (a host name it
    // cannot resolve) on the first line.
    const said = result.stderr.trim().split('\n').join('; ').slice(0, 500);
    const reason = result.timedOut ? 'timed out' : said || `exit ${result.exitCode}`;
    const error = new Error(`cannot ${operation} ${path} with sudo: ${reason}`);
    (error as NodeJS.ErrnoException).code = 'EACCES';
    throw error;
  }

  private async sudoStat(path: string, follow: boolean): Promise<TransportStat | null> {
    // The fields SFTP would have given (whole-second times), so both routes fingerprint alike.
    const argv = ['stat', ...(follow ? ['-L'] : []), '--printf', '%f %u %g %s %Y %X', '--', path];
    const result = await this.sudoHelper(follow ? 'stat' : 'lstat', path, argv);
    if (result === null) return null;
    const [mode, uid, gid, size, mtime, atime] = result.stdout.toString('utf8').trim().split(' ');
    return remoteStat(
      Number.parseInt(mode ?? '', 16),
      Number(uid),
      Number(gid),
      Number(size),
      Number(mtime),
      Number(atime),
    );
  }

  /** stat/lstat with the permission fallback; null when missing. */
  private async statPath(path: string, follow: boolean): Promise<TransportStat | null> {
    checkAbsolute(path);
    try {
      return await (follow ? this.files.stat(path) : this.files.lstat(path));
    } catch (error) {
      if (isSftpMissing(error)) return null;
      if (this.sudo && isSftpDenied(error)) return this.sudoStat(path, follow);
      throw sftpError(follow ? 'stat' : 'lstat', path, error);
    }
  }

  lstat(path: string): Promise<TransportStat | null> {
    return this.statPath(path, false);
  }

  stat(path: string): Promise<TransportStat | null> {
    return this.statPath(path, true);
  }

  async readFile(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean } | null> {
    // Never open what is not a regular file: opening a FIFO would block the SFTP server.
    const before = await this.stat(path);
    if (before === null) return null;
    if (before.type !== 'file') throw notRegular(path);
    try {
      return await this.files.read(path, maxBytes, before.size);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOTREG') throw error;
      if (isSftpMissing(error)) return null;
      if (this.sudo && isSftpDenied(error)) return this.sudoRead(path, maxBytes);
      throw sftpError('read', path, error);
    }
  }

  private async sudoRead(
    path: string,
    maxBytes: number,
  ): Promise<{ data: Buffer; truncated: boolean } | null> {
    const result = await this.sudoHelper('read', path, ['cat', '--', path], maxBytes + 1);
    if (result === null) return null;
    const truncated = result.stdoutTruncated || result.stdout.length > maxBytes;
    return { data: truncated ? result.stdout.subarray(0, maxBytes) : result.stdout, truncated };
  }

  async readlink(path: string): Promise<string | null> {
    checkAbsolute(path);
    try {
      return await this.files.readlink(path);
    } catch (error) {
      // BAD_MESSAGE is sftp-server's translation of EINVAL: the path is not a symlink.
      if (isSftpMissing(error) || sftpStatus(error) === SFTP_STATUS.BAD_MESSAGE) return null;
      if (this.sudo && isSftpDenied(error)) {
        // find -printf %l prints the raw link text (empty for a non-link), newlines and all.
        const result = await this.sudoHelper('readlink', path, [
          'find',
          path,
          '-maxdepth',
          '0',
          '-printf',
          '%y %l',
        ]);
        if (result === null) return null;
        const text = result.stdout.toString('utf8');
        return text.startsWith('l ') ? text.slice(2) : null;
      }
      // sftp-server reports readlink of a non-link as a generic failure on some versions.
      const type = (await this.lstat(path).catch(() => null))?.type;
      if (type !== undefined && type !== 'symlink') return null;
      throw sftpError('readlink', path, error);
    }
  }

  async realpath(path: string): Promise<string | null> {
    // SFTP's realpath tolerates a missing last component (OpenBSD semantics); the transport
    // contract says null for a missing or dangling path, which stat() tells.
    if ((await this.stat(path)) === null) return null;
    try {
      return await this.files.realpath(path);
    } catch (error) {
      if (isSftpMissing(error)) return null;
      if (this.sudo && isSftpDenied(error)) {
        const result = await this.sudoHelper('resolve', path, ['realpath', '-e', '-z', '--', path]);
        return result === null ? null : result.stdout.toString('utf8').replace(/\0$/, '');
      }
      throw sftpError('resolve', path, error);
    }
  }

  async readdir(path: string): Promise<DirEntry[] | null> {
    checkAbsolute(path);
    try {
      return await this.files.readdir(path);
    } catch (error) {
      if (isSftpMissing(error)) return null;
      if (this.sudo && isSftpDenied(error)) return this.sudoReaddir(path);
      // Listing a non-directory: the local transport answers null (ENOTDIR).
      const type = (await this.stat(path).catch(() => null))?.type;
      if (type !== undefined && type !== 'dir') return null;
      throw sftpError('list', path, error);
    }
  }

  private async sudoReaddir(path: string): Promise<DirEntry[] | null> {
    // `find DIR/` would follow a symlinked DIR like opendir does; %y is the entry's own type.
    const result = await this.sudoHelper('list', path, [
      'find',
      path.endsWith('/') ? path : `${path}/`,
      '-mindepth',
      '1',
      '-maxdepth',
      '1',
      '-printf',
      '%y %f\\0',
    ]);
    if (result === null) return null;
    const types: Record<string, DirEntry['type']> = {
      f: 'file',
      d: 'dir',
      l: 'symlink',
      c: 'char',
      b: 'block',
      p: 'fifo',
      s: 'socket',
    };
    return result.stdout
      .toString('utf8')
      .split('\0')
      .filter((record) => record.length > 2)
      .map((record) => ({ name: record.slice(2), type: types[record[0] ?? ''] ?? 'unknown' }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async statfs(path: string): Promise<FilesystemStats | null> {
    checkAbsolute(path);
    let fs: Awaited<ReturnType<SftpFiles['statvfs']>>;
    try {
      fs = await this.files.statvfs(path);
    } catch (error) {
      if (isSftpMissing(error)) return null;
      throw sftpError('statfs', path, error);
    }
    // As the local transport does: the options of the mount holding the path, from the mount table.
    const table = await this.readFile('/proc/mounts', 16 * 1024 * 1024).catch(() => null);
    return {
      blockSize: fs.f_frsize,
      blocks: fs.f_blocks,
      blocksFree: fs.f_bfree,
      blocksAvailable: fs.f_bavail,
      mountOptions: mountHolding(parseMountTable(table?.data.toString('utf8') ?? ''), path)?.options ?? [],
    };
  }

  /**
   * stat through GNU `stat`, many paths per command: unlike SFTP it reports device, inode and
   * sub-second times, which the tree listing needs to recognise a directory met twice (symlink
   * loops). Paths it reports missing (or dangling) map to null.
   */
  private async identityStats(
    paths: readonly string[],
    follow: boolean,
  ): Promise<Map<string, TransportStat | null>> {
    const stats = new Map<string, TransportStat | null>();
    // Batches bounded well below ARG_MAX; each command costs a remote shell start.
    for (let i = 0; i < paths.length; ) {
      const batch: string[] = [];
      let bytes = 0;
      while (i < paths.length && (batch.length === 0 || bytes < 64 * 1024)) {
        const path = checkAbsolute(paths[i++] as string);
        batch.push(path);
        bytes += path.length + 1;
      }
      const argv = [
        'stat',
        ...(follow ? ['-L'] : []),
        '--printf',
        '%f %u %g %s %.9X %.9Y %.9Z %d %i %n\\0',
        '--',
        ...batch,
      ];
      const result = await this.run(argv, { timeoutMs: HELPER_TIMEOUT_MS, privileged: this.sudo });
      for (const record of result.stdout.toString('utf8').split('\0')) {
        const fields = record.split(' ');
        if (fields.length < 10) continue;
        const [mode, uid, gid, size, atime, mtime, ctime, dev, ino] = fields;
        const base = remoteStat(
          Number.parseInt(mode ?? '', 16),
          Number(uid),
          Number(gid),
          Number(size),
          Math.floor(Number(mtime)),
        );
        stats.set(fields.slice(9).join(' '), {
          ...base,
          mtimeMs: secondsToMs(mtime),
          atimeMs: secondsToMs(atime),
          ctimeMs: secondsToMs(ctime),
          dev: Number(dev),
          ino: Number(ino),
        });
      }
      for (const path of batch) {
        if (stats.has(path)) continue;
        // stat exits 1 for any unreadable operand; only "missing" ones are facts, others errors.
        const line =
          result.stderr.split('\n').find((text) => text.includes(path)) ?? firstLine(result.stderr);
        if (MISSING_TEXT.test(line)) stats.set(path, null);
        else
          throw new Error(
            `cannot ${follow ? 'stat' : 'lstat'} ${path}: ${line || `exit ${result.exitCode}`}`,
          );
      }
    }
    return stats;
  }

  async listTree(options: TreeOptions): Promise<FileTreeValue> {
    checkAbsolute(options.path);
    // listTree asks its transport for the root, and stat()s every symlink it lists: give it stats
    // with real dev/ino, those of the symlinks fetched in one batch per find pass.
    const followed = new Map<string, TransportStat | null>();
    const one = async (path: string, follow: boolean) => {
      if (follow && followed.has(path)) return followed.get(path) ?? null;
      return (await this.identityStats([path], follow)).get(path) ?? null;
    };
    const withIdentity: Transport = Object.assign(Object.create(this) as SshTransport, {
      lstat: (path: string) => one(path, false),
      stat: (path: string) => one(path, true),
    });
    const lister = async (root: string, raw: RawOptions): Promise<RawListing> => {
      const listing = await this.remoteTreeList(root, raw);
      const links = listing.entries
        .filter((entry) => entry.type === 'symlink')
        .map((entry) => entry.hostPath);
      for (const [path, stats] of await this.identityStats(links, true)) followed.set(path, stats);
      return listing;
    };
    const identity = (path: string) => path;
    return listTree(withIdentity, options, { toHost: identity, toTarget: identity }, lister);
  }

  private async remoteTreeList(root: string, options: RawOptions): Promise<RawListing> {
    const parser = treeFindOutputParser();
    const result = await this.run(['find', ...treeFindArguments(root, options)], {
      onStdout: (chunk) => parser.push(chunk),
      privileged: this.sudo,
    });
    // Exit 1: some directory was unreadable; the listing holds what could be seen.
    if (result.exitCode !== 0 && result.exitCode !== 1) {
      const reason =
        firstLine(result.stderr) || (result.signal ? `signal ${result.signal}` : `exit ${result.exitCode}`);
      throw new Error(`find failed on ${this.description} (GNU find is required): ${reason}`);
    }
    return parser.listing();
  }

  async walk(options: WalkOptions): Promise<WalkValue> {
    const startedAt = Date.now();
    let roots: string[];
    let skipped: string[] = [];
    if (options.roots) {
      roots = options.roots.map((root) => posix.normalize(checkAbsolute(root)));
    } else {
      // The remote mount table; a chroot or a container without /proc walks its one filesystem.
      const mounts = await this.readFile('/proc/mounts', 16 * 1024 * 1024).catch(() => null);
      if (mounts === null || mounts.data.length === 0) {
        roots = ['/'];
      } else {
        const plan = planWalk(parseMountTable(mounts.data.toString('utf8')));
        roots = plan.roots;
        skipped = plan.skipped;
      }
    }
    if (options.walker === 'node') {
      throw new Error(
        `the ${this.description} walk needs GNU find on the target (walker 'node' is local only)`,
      );
    }
    roots = await this.distinctRoots(roots);
    const accumulator = new WalkAccumulator(options.knownUids, options.knownGids);
    if (roots.length > 0) {
      const parse = findOutputParser((path) => path, accumulator);
      const result = await this.run(['find', ...findArguments(roots, options.knownUids, options.knownGids)], {
        onStdout: parse,
        privileged: this.sudo,
      });
      // find exits 1 when some directory was unreadable: the walk reports what it could see.
      if (result.exitCode !== 0 && result.exitCode !== 1) {
        const reason =
          firstLine(result.stderr) || (result.signal ? `signal ${result.signal}` : `exit ${result.exitCode}`);
        throw new Error(`find failed on ${this.description} (GNU find is required): ${reason}`);
      }
    }
    return accumulator.result(skipped, startedAt);
  }

  /**
   * Drops roots that are the same directory as an earlier one (bind mounts) and missing ones, as
   * the local walk does; SFTP has no inode numbers, so one `stat` command answers for all roots.
   */
  private async distinctRoots(roots: string[]): Promise<string[]> {
    if (roots.length <= 1) return roots;
    const result = await this.run(['stat', '--printf', '%d:%i %n\\0', '--', ...roots], {
      timeoutMs: HELPER_TIMEOUT_MS,
      privileged: this.sudo,
    });
    const idOf = new Map<string, string>();
    for (const record of result.stdout.toString('utf8').split('\0')) {
      const space = record.indexOf(' ');
      if (space > 0) idOf.set(record.slice(space + 1), record.slice(0, space));
    }
    const seen = new Set<string>();
    return roots.filter((root) => {
      const id = idOf.get(root);
      if (id === undefined || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
  }

  async exec(argv: string[], options: ExecOptions): Promise<CommandValue> {
    const [file] = argv;
    if (file === undefined) throw new Error('cannot run an empty command');
    // `env` would take a first word holding '=' for a variable assignment, not a command.
    if (file.includes('=')) {
      throw new Error(`cannot run ${JSON.stringify(file)} over SSH: a command name must not contain '='`);
    }
    const result = await this.run(argv, { timeoutMs: options.timeoutMs, privileged: this.sudo });
    return {
      argv: [...argv],
      exitCode: result.exitCode,
      stdout: result.stdout.toString('utf8'),
      stderr: result.stderr,
      timedOut: result.timedOut,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.files.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.client.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.client.end();
    });
  }
}

/** Connects, opens the SFTP session and returns the transport; errors are one line naming the host. */
export async function openSshTransport(options: SshTargetOptions): Promise<SshTransport> {
  const { client, label } = await connectSsh(options);
  let sftp: SFTPWrapper;
  try {
    sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
      client.sftp((error, session) => (error ? reject(error) : resolve(session)));
    });
  } catch (error) {
    client.end();
    throw new VouchError(
      'SSH_NO_SFTP',
      `ssh ${label}: cannot start the SFTP subsystem (${(error as Error).message}); Vouch reads files over SFTP`,
    );
  }
  return new SshTransport(client, sftp, label, options.sudo ?? false);
}
