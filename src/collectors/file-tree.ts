/**
 * `file-tree`: a recursive listing (lstat of every entry) for OVAL file objects that recurse or
 * match paths by pattern. Transports with a native lister (find) answer it themselves; others are
 * listed through their readdir/lstat/stat primitives.
 *
 * Caching: no file fingerprint can vouch for a whole subtree (a chmod deep inside changes no
 * directory), so a listing is volatile, except the `/`-wide one, which like the `walk` fact is kept
 * for WALK_TTL_MS: it costs seconds, and filesystem-wide rules are re-walked on that interval.
 */
import type { FileTreeRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { FileTreeValue, TreeEntry } from '../core/facts/fact-values.js';
import type { Transport, TransportStat } from '../targets/transport.js';
import { keptByOwner, sortTreeEntries, toEntry } from '../targets/walk/tree-list.js';
import { collect } from './collector.js';
import { WALK_TTL_MS } from './walk.js';

export function collectFileTree(
  transport: Transport,
  request: FileTreeRequest,
): Promise<FactResult<'file-tree'>> {
  return collect(transport, async (sources) => {
    await sources.lstat(request.path);
    const options = {
      path: request.path,
      ...(request.maxDepth !== undefined ? { maxDepth: request.maxDepth } : {}),
      ...(request.follow !== undefined ? { follow: request.follow } : {}),
      ...(request.filesystems !== undefined ? { filesystems: request.filesystems } : {}),
      ...(request.select !== undefined ? { select: request.select } : {}),
      ...(request.uidNotIn !== undefined ? { uidNotIn: request.uidNotIn } : {}),
      ...(request.gidNotIn !== undefined ? { gidNotIn: request.gidNotIn } : {}),
      ...(request.classifyLinks !== undefined ? { classifyLinks: request.classifyLinks } : {}),
    };
    const value = transport.listTree
      ? await transport.listTree(options)
      : await listThroughPrimitives(transport, request);
    const wide = request.path === '/' && request.maxDepth === undefined;
    return wide ? { status: 'ok', value, ttlMs: WALK_TTL_MS } : { status: 'ok', value, volatile: true };
  });
}

/**
 * The same listing through a transport's primitives (one round trip per entry: fine for the small
 * trees OVAL content names, slow for `/`). `filesystems` other than `all` compares devices with the
 * root's only (`same`); `local` needs the mount table, which only native listers consult.
 */
async function listThroughPrimitives(transport: Transport, request: FileTreeRequest): Promise<FileTreeValue> {
  const rootPath = request.path.length > 1 ? request.path.replace(/\/+$/, '') : request.path;
  const own = await transport.lstat(rootPath);
  if (own === null) return { path: request.path, exists: false, entries: [], visited: 0 };
  const keep = (stats: TransportStat) =>
    (request.select !== 'special' || (stats.mode & 0o6002) !== 0) && keptByOwner(stats, request);
  const entries: TreeEntry[] = [];
  let visited = 1;
  const target = own.type === 'symlink' ? await transport.stat(rootPath) : own;
  const root = toEntry(rootPath, 0, own);
  if (own.type === 'symlink') root.targetType = target?.type ?? null;
  if (keep(own)) entries.push(root);
  if (target?.type !== 'dir') return { path: request.path, exists: true, entries, visited };
  const visit = async (dir: string, depth: number, ancestors: string[]): Promise<void> => {
    if (request.maxDepth !== undefined && depth > request.maxDepth) return;
    const children = (await transport.readdir(dir).catch(() => null)) ?? [];
    for (const child of children) {
      const path = dir === '/' ? `/${child.name}` : `${dir}/${child.name}`;
      const stats = await transport.lstat(path).catch(() => null);
      if (stats === null) continue;
      visited++;
      const entry = toEntry(path, depth, stats);
      let linked: TransportStat | null = null;
      if (stats.type === 'symlink' && (request.follow || request.classifyLinks !== false)) {
        linked = await transport.stat(path).catch(() => null);
        entry.targetType = linked?.type ?? null;
      }
      if (keep(stats)) entries.push(entry);
      const dirStats =
        stats.type === 'dir' ? stats : request.follow && linked?.type === 'dir' ? linked : null;
      if (!dirStats) continue;
      const id = `${dirStats.dev}:${dirStats.ino}`;
      if (ancestors.includes(id)) continue;
      if (request.filesystems === 'same' && dirStats.dev !== target.dev) continue;
      await visit(path, depth + 1, [...ancestors, id]);
    }
  };
  await visit(rootPath, 1, [`${target.dev}:${target.ino}`]);
  sortTreeEntries(entries);
  return { path: request.path, exists: true, entries, visited };
}
