/**
 * Expanding an absolute glob on the target, component by component, like glob(3): results sorted,
 * wildcards never match a leading dot. Every directory listed is recorded as a source, so a file
 * appearing later that would match invalidates the fact.
 */
import picomatch from 'picomatch';
import type { SourceRecorder } from './collector.js';

const GLOB_CHARS = /[*?[]/;

export function hasGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** Paths of existing regular files (through symlinks) matching the absolute `pattern`. */
export async function expandGlob(sources: SourceRecorder, pattern: string): Promise<string[]> {
  let candidates = ['/'];
  for (const part of pattern.split('/').filter((segment) => segment !== '')) {
    const next: string[] = [];
    for (const dir of candidates) {
      const prefix = dir === '/' ? '/' : `${dir}/`;
      if (!hasGlob(part)) {
        next.push(prefix + part);
        continue;
      }
      const stats = await sources.follow(dir);
      if (stats?.type !== 'dir') continue;
      const isMatch = picomatch(part, { dot: false });
      for (const entry of (await sources.transport.readdir(dir)) ?? []) {
        if (isMatch(entry.name)) next.push(prefix + entry.name);
      }
    }
    candidates = next;
  }
  const files: string[] = [];
  for (const path of candidates) {
    const stats = await sources.follow(path);
    if (stats?.type === 'file') files.push(path);
  }
  return files.sort();
}
