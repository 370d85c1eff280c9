/**
 * Drop-in directory precedence shared by sysctl.d, modprobe.d and systemd drop-ins:
 * a base name in an earlier directory hides the same base name in later ones, and the surviving
 * files are applied in base-name order regardless of which directory they came from.
 */
import type { GlobFile } from '../../core/facts/fact-values.js';
import { basename, dirname } from '../common/text.js';
import { byteOrder } from './lines.js';

export const SYSCTL_DIRS = [
  '/etc/sysctl.d',
  '/run/sysctl.d',
  '/usr/local/lib/sysctl.d',
  '/usr/lib/sysctl.d',
  '/lib/sysctl.d',
];
export const MODPROBE_DIRS = [
  '/etc/modprobe.d',
  '/run/modprobe.d',
  '/usr/local/lib/modprobe.d',
  '/usr/lib/modprobe.d',
  '/lib/modprobe.d',
];

export function applyDirPrecedence<T extends { path: string }>(
  files: readonly T[],
  dirs: readonly string[],
): T[] {
  const rank = (file: T): number => {
    const index = dirs.indexOf(dirname(file.path));
    return index < 0 ? dirs.length : index;
  };
  const winners = new Map<string, T>();
  for (const file of files) {
    const name = basename(file.path);
    const current = winners.get(name);
    if (!current || rank(file) < rank(current)) winners.set(name, file);
  }
  return [...winners.entries()].sort(([a], [b]) => byteOrder(a, b)).map(([, file]) => file);
}

/** Files hidden by a same-named file in an earlier directory (reported so a reader is not surprised). */
export function hiddenFiles(files: readonly GlobFile[], dirs: readonly string[]): GlobFile[] {
  const kept = new Set(applyDirPrecedence(files, dirs));
  return files.filter((file) => !kept.has(file));
}
