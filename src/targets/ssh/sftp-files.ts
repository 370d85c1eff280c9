/**
 * File primitives over ONE SFTP session. ssh2 pipelines requests (many outstanding on the one
 * channel), so concurrent collector reads cost round trips in parallel, not in sequence; a limiter
 * bounds how many are in flight so a huge directory listing cannot queue thousands of requests.
 *
 * SFTP (v3, what OpenSSH speaks) reports size, uid, gid, mode and whole-second mtime only: no
 * device, inode or ctime. The fingerprint is therefore `sftp:size:mtime:mode:uid:gid`, weaker than
 * the local one (a same-size rewrite within the same second, or a rename over a file with equal
 * stat, goes unnoticed until the next full rescan); dev and ino are reported as 0.
 */
import type { SFTPWrapper, Stats } from 'ssh2';
import type { DirEntry, FileType } from '../../core/facts/fact-values.js';
import type { TransportStat } from '../transport.js';
import { Limiter } from './remote-exec.js';

/** SFTP status codes (draft-ietf-secsh-filexfer-02) that matter here. */
export const SFTP_STATUS = {
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
} as const;

/** errno-style codes for SFTP statuses, so transport errors look alike whatever the transport. */
const ERRNO_OF_STATUS: Record<number, string> = {
  [SFTP_STATUS.NO_SUCH_FILE]: 'ENOENT',
  [SFTP_STATUS.PERMISSION_DENIED]: 'EACCES',
  [SFTP_STATUS.FAILURE]: 'EIO',
  [SFTP_STATUS.BAD_MESSAGE]: 'EINVAL',
};

const MAX_IN_FLIGHT = 64;
const MIN_READ_CHUNK = 64 * 1024;
const MAX_READ_CHUNK = 1024 * 1024;

export function sftpStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

export function isSftpMissing(error: unknown): boolean {
  return sftpStatus(error) === SFTP_STATUS.NO_SUCH_FILE;
}

export function isSftpDenied(error: unknown): boolean {
  return sftpStatus(error) === SFTP_STATUS.PERMISSION_DENIED;
}

/** An error naming the target path, with an errno-style code, like targetIoError. */
export function sftpError(operation: string, path: string, error: unknown): Error {
  const status = sftpStatus(error);
  const code = status === undefined ? undefined : ERRNO_OF_STATUS[status];
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  const wrapped = new Error(`cannot ${operation} ${path}: ${detail}`, { cause: error });
  if (code) (wrapped as NodeJS.ErrnoException).code = code;
  return wrapped;
}

export function fileTypeOfMode(mode: number): FileType {
  switch (mode & 0o170000) {
    case 0o100000:
      return 'file';
    case 0o040000:
      return 'dir';
    case 0o120000:
      return 'symlink';
    case 0o020000:
      return 'char';
    case 0o060000:
      return 'block';
    case 0o010000:
      return 'fifo';
    case 0o140000:
      return 'socket';
    default:
      return 'unknown';
  }
}

/** A TransportStat from the fields SFTP (or `stat --printf`) gives: full st_mode, ids, size, mtime s. */
export function remoteStat(
  mode: number,
  uid: number,
  gid: number,
  size: number,
  mtimeSeconds: number,
  atimeSeconds?: number,
): TransportStat {
  return {
    type: fileTypeOfMode(mode),
    mode: mode & 0o7777,
    uid,
    gid,
    size,
    mtimeMs: mtimeSeconds * 1000,
    ...(atimeSeconds !== undefined ? { atimeMs: atimeSeconds * 1000 } : {}),
    dev: 0,
    ino: 0,
    fingerprint: `sftp:${size}:${mtimeSeconds}:${(mode & 0o177777).toString(8)}:${uid}:${gid}`,
  };
}

function fromStats(stats: Stats): TransportStat {
  return remoteStat(stats.mode, stats.uid, stats.gid, stats.size, stats.mtime, stats.atime);
}

export class SftpFiles {
  private readonly limiter = new Limiter(MAX_IN_FLIGHT);

  /** `loss` rejects when the connection is gone: pending requests fail with it instead of hanging. */
  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly loss: Promise<never>,
  ) {}

  private call<T>(start: (done: (error: Error | null | undefined, value?: T) => void) => void): Promise<T> {
    return this.limiter.run(() =>
      Promise.race([
        new Promise<T>((resolve, reject) => {
          start((error, value) => (error ? reject(error) : resolve(value as T)));
        }),
        this.loss,
      ]),
    );
  }

  /** Raw SFTP errors propagate (callers map them): null never means missing here. */
  lstat(path: string): Promise<TransportStat> {
    return this.call<Stats>((done) => this.sftp.lstat(path, done)).then(fromStats);
  }

  stat(path: string): Promise<TransportStat> {
    return this.call<Stats>((done) => this.sftp.stat(path, done)).then(fromStats);
  }

  readlink(path: string): Promise<string> {
    return this.call<string>((done) => this.sftp.readlink(path, done));
  }

  realpath(path: string): Promise<string> {
    return this.call<string>((done) => this.sftp.realpath(path, done));
  }

  async readdir(path: string): Promise<DirEntry[]> {
    const list = await this.call<Array<{ filename: string; attrs: Stats }>>((done) =>
      this.sftp.readdir(path, done),
    );
    // sftp-server lstat()s every entry for its attributes, so the type is the entry's own.
    return list
      .filter((item) => item.filename !== '.' && item.filename !== '..')
      .map((item) => ({ name: item.filename, type: fileTypeOfMode(item.attrs.mode) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /**
   * Reads up to maxBytes (+1 to detect truncation) of a file the caller has already stat()ed as
   * regular; reads to EOF rather than trusting the size (/proc files report 0). `expectedSize`
   * only sizes the first request.
   */
  async read(
    path: string,
    maxBytes: number,
    expectedSize: number,
  ): Promise<{ data: Buffer; truncated: boolean }> {
    const handle = await this.call<Buffer>((done) => this.sftp.open(path, 'r', done));
    try {
      // The stat before open and this fstat bracket the open: a path swapped for a FIFO or a
      // device in between is refused before any read.
      const opened = await this.call<Stats>((done) => this.sftp.fstat(handle, done));
      if (fileTypeOfMode(opened.mode) !== 'file') {
        const error = new Error(`cannot read ${path}: not a regular file`);
        (error as NodeJS.ErrnoException).code = 'ENOTREG';
        throw error;
      }
      const limit = maxBytes + 1;
      const chunks: Buffer[] = [];
      let total = 0;
      let chunkSize = Math.min(limit, Math.max(MIN_READ_CHUNK, Math.min(expectedSize + 1, MAX_READ_CHUNK)));
      while (total < limit) {
        const want = Math.min(chunkSize, limit - total);
        const buffer = Buffer.allocUnsafe(want);
        const bytesRead = await this.call<number>((done) =>
          this.sftp.read(handle, buffer, 0, want, total, (error, n) => done(error, n)),
        );
        if (bytesRead === 0) break;
        chunks.push(buffer.subarray(0, bytesRead));
        total += bytesRead;
        chunkSize = Math.min(chunkSize * 2, MAX_READ_CHUNK);
      }
      const data = Buffer.concat(chunks, total);
      const truncated = total > maxBytes;
      return { data: truncated ? data.subarray(0, maxBytes) : data, truncated };
    } finally {
      await this.call<void>((done) => this.sftp.close(handle, done)).catch(() => {});
    }
  }

  /** statvfs@openssh.com: block counts in units of f_frsize. */
  statvfs(path: string): Promise<{ f_frsize: number; f_blocks: number; f_bfree: number; f_bavail: number }> {
    return this.call((done) => this.sftp.ext_openssh_statvfs(path, done));
  }

  end(): void {
    this.sftp.end();
  }
}
