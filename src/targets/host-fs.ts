/**
 * File operations on host paths, shared by the local and root-directory transports. Each takes the
 * target path too, only to name it in errors.
 */
import { constants, type Dirent } from 'node:fs';
import { lstat, open, readdir, readFile, stat, statfs } from 'node:fs/promises';
import type { DirEntry } from '../core/facts/fact-values.js';
import { fileTypeOfStats, isMissingError, targetIoError, toTransportStat } from './file-stat.js';
import { mountHolding, parseMountTable } from './mount-table.js';
import type { FilesystemStats, TransportStat } from './transport.js';

const CHUNK = 64 * 1024;

export interface ReadOptions {
  /** Refuse to open a symlink as the last component (the root transport resolved it already). */
  noFollow?: boolean;
}

function notRegular(targetPath: string): Error {
  const error = new Error(`cannot read ${targetPath}: not a regular file`);
  (error as NodeJS.ErrnoException).code = 'ENOTREG';
  return error;
}

export async function hostReadFile(
  hostPath: string,
  targetPath: string,
  maxBytes: number,
  options: ReadOptions = {},
): Promise<{ data: Buffer; truncated: boolean } | null> {
  // Never open what is not a regular file: opening a device can have effects (a tape rewinds, a
  // FIFO waits for a writer). The check after open closes the race with a swapped path.
  const before = options.noFollow
    ? await hostLstat(hostPath, targetPath)
    : await hostStat(hostPath, targetPath);
  if (before === null) return null;
  if (before.type !== 'file') throw notRegular(targetPath);
  // O_NONBLOCK: should a FIFO be swapped in after the check, opening it must not block.
  let flags = constants.O_RDONLY | constants.O_NONBLOCK;
  if (options.noFollow) flags |= constants.O_NOFOLLOW;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(hostPath, flags);
  } catch (error) {
    if (isMissingError(error)) return null;
    throw targetIoError('read', targetPath, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(targetPath);
    // Read to EOF rather than trusting st_size: /proc files report size 0.
    const chunks: Buffer[] = [];
    let total = 0;
    let truncated = false;
    for (;;) {
      const want = Math.min(CHUNK, maxBytes + 1 - total);
      const buffer = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buffer, 0, want, null);
      if (bytesRead === 0) break;
      chunks.push(buffer.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) {
        truncated = true;
        break;
      }
    }
    const data = Buffer.concat(chunks, total);
    return { data: truncated ? data.subarray(0, maxBytes) : data, truncated };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTREG') throw error;
    throw targetIoError('read', targetPath, error);
  } finally {
    await handle.close();
  }
}

export async function hostLstat(hostPath: string, targetPath: string): Promise<TransportStat | null> {
  try {
    return toTransportStat(await lstat(hostPath, { bigint: true }));
  } catch (error) {
    if (isMissingError(error)) return null;
    throw targetIoError('lstat', targetPath, error);
  }
}

export async function hostStat(hostPath: string, targetPath: string): Promise<TransportStat | null> {
  try {
    return toTransportStat(await stat(hostPath, { bigint: true }));
  } catch (error) {
    if (isMissingError(error)) return null;
    throw targetIoError('stat', targetPath, error);
  }
}

export async function hostReaddir(hostPath: string, targetPath: string): Promise<DirEntry[] | null> {
  let dirents: Dirent[];
  try {
    dirents = await readdir(hostPath, { withFileTypes: true });
  } catch (error) {
    if (isMissingError(error)) return null;
    throw targetIoError('list', targetPath, error);
  }
  const entries: DirEntry[] = [];
  for (const dirent of dirents) {
    let type = fileTypeOfStats(dirent);
    if (type === 'unknown') {
      // Some filesystems return DT_UNKNOWN; lstat tells the truth.
      const entryStat = await hostLstat(`${hostPath}/${dirent.name}`, `${targetPath}/${dirent.name}`);
      if (entryStat === null) continue; // vanished meanwhile
      type = entryStat.type;
    }
    entries.push({ name: dirent.name, type });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return entries;
}

/** statfs of a host path; null when it does not exist. Node reports f_bsize, which Linux sets equal to f_frsize. */
export async function hostStatfs(hostPath: string, targetPath: string): Promise<FilesystemStats | null> {
  try {
    const stats = await statfs(hostPath);
    // Node's statfs has no f_flag; the mount table gives the same flags for the mount holding the path.
    const table = await readFile('/proc/mounts', 'utf8').catch(() => '');
    return {
      blockSize: stats.bsize,
      blocks: stats.blocks,
      blocksFree: stats.bfree,
      blocksAvailable: stats.bavail,
      mountOptions: mountHolding(parseMountTable(table), hostPath)?.options ?? [],
    };
  } catch (error) {
    if (isMissingError(error)) return null;
    throw targetIoError('statfs', targetPath, error);
  }
}
