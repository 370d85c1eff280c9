/**
 * Converting node's stat results into the transport's plain, serialisable shape.
 * Both transports stat with `bigint: true`: the fingerprint needs nanosecond mtimes, which a
 * double cannot hold exactly (a file rewritten twice within a microsecond must still change it).
 */
import type { BigIntStats, Dirent } from 'node:fs';
import type { FileType } from '../core/facts/fact-values.js';
import type { TransportStat } from './transport.js';

/** Fingerprint of a path that does not exist. */
export const ABSENT = 'absent';

export function fileTypeOfStats(stats: BigIntStats | Dirent): FileType {
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'dir';
  if (stats.isSymbolicLink()) return 'symlink';
  if (stats.isCharacterDevice()) return 'char';
  if (stats.isBlockDevice()) return 'block';
  if (stats.isFIFO()) return 'fifo';
  if (stats.isSocket()) return 'socket';
  return 'unknown';
}

/**
 * `dev:ino:size:mtimeNs:ctimeNs`: changes whenever the content could have changed (mtime) and
 * whenever mode, owner or link count changed (ctime: chmod and chown leave mtime alone).
 */
export function fingerprintOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`;
}

export function toTransportStat(stats: BigIntStats): TransportStat {
  return {
    type: fileTypeOfStats(stats),
    mode: Number(stats.mode & 0o7777n),
    uid: Number(stats.uid),
    gid: Number(stats.gid),
    size: Number(stats.size),
    mtimeMs: Number(stats.mtimeNs) / 1e6,
    atimeMs: Number(stats.atimeNs) / 1e6,
    ctimeMs: Number(stats.ctimeNs) / 1e6,
    dev: Number(stats.dev),
    ino: Number(stats.ino),
    fingerprint: fingerprintOf(stats),
  };
}

/** Error codes that mean "this path does not exist" for the purposes of a fact. */
export function isMissingError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP';
}

/**
 * Re-throws an I/O error with a message naming the *target* path (a root target's host path
 * would confuse the reader and reveal nothing useful), keeping the errno code.
 */
export function targetIoError(operation: string, targetPath: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  const wrapped = new Error(`cannot ${operation} ${targetPath}: ${detail}`, { cause: error });
  if (code) (wrapped as NodeJS.ErrnoException).code = code;
  return wrapped;
}
