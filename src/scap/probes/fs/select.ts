/**
 * Which filesystem entries a file-based OVAL object (file_object, textfilecontent54_object) selects,
 * following oscap 1.3.7's oval_fts.c, checked against `oscap-chroot` on temp trees (see
 * test/scap/probes/fs). Everything comes from `file-tree` facts.
 *
 * - `filepath` equals: the path itself, unless it is (or links to) a directory.
 * - `filepath` pattern: every non-directory below the pattern's literal prefix whose path matches,
 *   symlinks to directories followed, no depth limit (behaviors other than recurse_file_system are
 *   ignored, as in oscap).
 * - `path` + `filename`: the directories `path` selects (equals, or pattern under the literal prefix,
 *   symlinks followed), then per `recurse_direction`:
 *   - `none`: nil filename = the directory itself; otherwise its entries that are not directories
 *     (symlinks count, whatever they point to) with a matching name;
 *   - `down`: depth is counted from `path` (its entries are level 1). Nil filename = the directories
 *     at level <= max_depth, `path` included; otherwise the non-directories at level <= max_depth+1
 *     with a matching name. Real directories are descended when `recurse` has directories, symlinks
 *     to directories when it has symlinks;
 *   - `up`: the directory and its ancestors up to max_depth levels, the same way as `none`.
 * - An entry selected twice (a followed symlink, nested matching directories) is one item: oscap's
 *   item cache merges identical items.
 * - Multi-valued entities (from variables): every value is a walk root, and a candidate must
 *   satisfy the entity as var_check combines its values (oscap: var_check="all" over
 *   `/etc/a.conf`, `/etc/sub/b.conf` selects nothing, "at least one" selects both).
 *
 * Departures: absolute symlinks resolve inside the target root (oscap-chroot resolves them on the
 * host); `local` means "not proc,
 * sysfs, autofs or a network filesystem" by mount type (oscap: by device, from the host's mtab);
 * a starting point on such a filesystem selects nothing, as in oscap.
 */
import { posix } from 'node:path';
import type { FileTreeValue, TreeEntry } from '../../../core/facts/fact-values.js';
import type { ObjectEntitySpec, ProbeContext, ResolvedObject } from '../../oval-session/probe.js';
import type { FileBehaviors } from './behaviors.js';
import { anchoredLiteral, canMatchAbsolutePath, fixedPathPrefix } from './path-pattern.js';

export interface FileCandidate {
  /** Directory part as oscap reports it (`path` item entity). */
  path: string;
  /** Null for "the directory itself" (nil filename): no filepath, empty filename. */
  filename: string | null;
  /** lstat of the selected entry. */
  entry: TreeEntry;
}

export interface Selection {
  candidates: FileCandidate[];
  /** Facts that could not be collected: the object's flag becomes `error`. */
  problems: string[];
}

type TreeRequest = {
  path: string;
  maxDepth?: number;
  follow?: boolean;
  filesystems?: 'all' | 'local' | 'same';
  select?: 'all' | 'special';
};

const FILESYSTEMS = { all: 'all', local: 'local', defined: 'same' } as const;

/** The entity restricted to one of its values: one walk root per value. */
function eachValue(entity: ObjectEntitySpec): ObjectEntitySpec[] {
  if (entity.values.length <= 1) return [entity];
  return [...new Set(entity.values)].map((value) => ({ ...entity, values: [value], fromVariable: false }));
}

function sortedIds(ids: readonly number[] | undefined): number[] | undefined {
  return ids && ids.length > 0 ? [...new Set(ids)].sort((a, b) => a - b) : undefined;
}

function isDirLike(entry: TreeEntry): boolean {
  return entry.type === 'dir' || (entry.type === 'symlink' && entry.targetType === 'dir');
}

class Selector {
  readonly candidates: FileCandidate[] = [];
  readonly problems: string[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly ctx: ProbeContext,
    private readonly behaviors: FileBehaviors,
    private readonly specialOnly: boolean,
    private readonly owners: { excludeUids?: number[]; excludeGids?: number[] } = {},
  ) {}

  async tree(request: TreeRequest): Promise<FileTreeValue | null> {
    const result = await this.ctx.fact({ kind: 'file-tree', ...request });
    if (result.status === 'ok') return result.value;
    const why = result.status === 'error' ? result.message : result.reason;
    this.problems.push(`cannot list ${request.path}: ${why}`);
    return null;
  }

  private get filesystems(): 'all' | 'local' | 'same' {
    return FILESYSTEMS[this.behaviors.fileSystem];
  }

  /** Each entry once: oscap's item cache merges identical items (a followed symlink is read twice). */
  private add(entry: TreeEntry, filename: string | null): void {
    const key = `${filename === null ? 'dir' : 'file'}:${entry.path}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.candidates.push(
      filename === null
        ? { path: entry.path, filename: null, entry }
        : { path: posix.dirname(entry.path), filename, entry },
    );
  }

  /** Entries a pattern walk can match: below the literal prefix, symlinks followed. */
  private async patternWalk(pattern: string): Promise<TreeEntry[]> {
    if (!canMatchAbsolutePath(pattern)) return [];
    const root = fixedPathPrefix(pattern);
    const pruned = await this.prunedPatternWalk(pattern, root);
    if (pruned) return pruned;
    const tree = await this.tree({ path: root, follow: true, filesystems: this.filesystems });
    return tree?.entries ?? [];
  }

  /**
   * `^/etc/sudoers(|\.d/.*)$` can only match below the entries of /etc whose path starts with
   * `/etc/sudoers`: list those instead of all of /etc (with its links followed). Undefined (walk
   * the whole prefix) when the pattern gives no longer literal, or when a pruned subtree holds a
   * link to a directory — the full walk's cycle guard knows ancestors a subtree walk does not.
   */
  private async prunedPatternWalk(pattern: string, root: string): Promise<TreeEntry[] | undefined> {
    const literal = anchoredLiteral(pattern);
    const base = root === '/' ? '/' : `${root}/`;
    if (literal === undefined || literal.length <= base.length || !literal.startsWith(base)) return undefined;
    const top = await this.tree({ path: root, maxDepth: 1, follow: true, filesystems: this.filesystems });
    if (!top) return [];
    const out: TreeEntry[] = [];
    for (const entry of top.entries) {
      if (entry.depth === 0) out.push(entry);
      if (entry.depth !== 1 || !entry.path.startsWith(literal)) continue;
      out.push(entry);
      if (!isDirLike(entry)) continue;
      const sub = await this.tree({ path: entry.path, follow: true, filesystems: this.filesystems });
      for (const below of sub?.entries ?? []) {
        if (below.depth === 0) continue;
        if (below.type === 'symlink' && below.targetType === 'dir') return undefined;
        out.push({ ...below, depth: below.depth + 1 });
      }
    }
    return out;
  }

  async byFilepath(filepath: ObjectEntitySpec): Promise<void> {
    for (const single of eachValue(filepath)) {
      const value = single.values[0];
      if (value === undefined) continue;
      if (single.operation === 'equals') {
        const tree = await this.tree({ path: value, maxDepth: 0, filesystems: this.filesystems });
        const entry = tree?.entries[0];
        if (entry && !isDirLike(entry) && this.ctx.matches(filepath, entry.path))
          this.add(entry, posix.basename(entry.path));
        continue;
      }
      const entries =
        single.operation === 'pattern match'
          ? await this.patternWalk(value)
          : ((await this.tree({ path: '/', follow: true, filesystems: this.filesystems }))?.entries ?? []);
      for (const entry of entries) {
        if (!isDirLike(entry) && this.ctx.matches(filepath, entry.path))
          this.add(entry, posix.basename(entry.path));
      }
    }
  }

  async byPath(path: ObjectEntitySpec, filename: ObjectEntitySpec): Promise<void> {
    const dirs = new Map<string, TreeEntry>();
    for (const single of eachValue(path)) {
      const value = single.values[0];
      if (value === undefined) continue;
      if (single.operation === 'equals') {
        const entry = (await this.tree({ path: value, maxDepth: 0, filesystems: this.filesystems }))
          ?.entries[0];
        if (entry && isDirLike(entry) && this.ctx.matches(path, entry.path) && !dirs.has(entry.path))
          dirs.set(entry.path, entry);
        continue;
      }
      const entries =
        single.operation === 'pattern match'
          ? await this.patternWalk(value)
          : ((await this.tree({ path: '/', follow: true, filesystems: this.filesystems }))?.entries ?? []);
      for (const entry of entries) {
        if (isDirLike(entry) && this.ctx.matches(path, entry.path) && !dirs.has(entry.path))
          dirs.set(entry.path, entry);
      }
    }
    for (const dir of dirs.values()) {
      if (this.behaviors.direction === 'down') await this.down(dir, filename);
      else if (this.behaviors.direction === 'up') await this.up(dir, filename);
      else await this.inDirectory(dir, filename);
    }
  }

  /** `none`: the directory itself, or its non-directory entries with a matching name. */
  private async inDirectory(dir: TreeEntry, filename: ObjectEntitySpec): Promise<void> {
    if (filename.nil) {
      this.add(dir, null);
      return;
    }
    const tree = await this.tree({ path: dir.path, maxDepth: 1 });
    for (const entry of tree?.entries ?? []) {
      const name = posix.basename(entry.path);
      if (entry.depth === 1 && entry.type !== 'dir' && this.ctx.matches(filename, name))
        this.add(entry, name);
    }
  }

  private async down(dir: TreeEntry, filename: ObjectEntitySpec): Promise<void> {
    const { maxDepth, recurseDirectories, recurseSymlinks } = this.behaviors;
    const unlimited = maxDepth === -1;
    // Only entries with special bits can survive the session's filters: let find drop the rest.
    // Needs every real directory descended, so reachability never depends on an unlisted parent.
    const select = this.specialOnly && recurseDirectories ? 'special' : 'all';
    // The same for owners an exclude filter drops (ids sorted: one fact key per set).
    const uidNotIn = recurseDirectories ? sortedIds(this.owners.excludeUids) : undefined;
    const gidNotIn = recurseDirectories ? sortedIds(this.owners.excludeGids) : undefined;
    const pushedDown = select === 'special' || uidNotIn !== undefined || gidNotIn !== undefined;
    const tree = await this.tree({
      path: dir.path,
      ...(unlimited ? {} : { maxDepth: maxDepth + 1 }),
      follow: recurseSymlinks,
      filesystems: this.filesystems,
      select,
      ...(uidNotIn ? { uidNotIn } : {}),
      ...(gidNotIn ? { gidNotIn } : {}),
      // Below the starting point, link targets matter only when links are followed.
      ...(recurseSymlinks ? {} : { classifyLinks: false }),
    });
    if (!tree) return;
    // Whether entries below a listed directory were reached by oscap's recursion rules.
    const descended = new Set<string>([tree.entries[0]?.path ?? dir.path]);
    const reachable = (entry: TreeEntry): boolean =>
      entry.depth <= 1 || pushedDown || descended.has(posix.dirname(entry.path));
    for (const entry of tree.entries) {
      if (entry.depth === 0) {
        if (filename.nil && isDirLike(entry)) this.add(entry, null);
        continue;
      }
      if (!reachable(entry)) continue;
      const withinDepth = unlimited || entry.depth <= maxDepth;
      if (
        withinDepth &&
        ((entry.type === 'dir' && recurseDirectories) ||
          (entry.type === 'symlink' && recurseSymlinks && entry.targetType === 'dir'))
      )
        descended.add(entry.path);
      if (filename.nil) {
        // A symlink is a directory here only when it is followed (fts re-reads it as FTS_D).
        const followed = entry.type === 'symlink' && recurseSymlinks && entry.targetType === 'dir';
        if (withinDepth && (entry.type === 'dir' || followed)) this.add(entry, null);
        continue;
      }
      if (entry.type === 'dir') continue;
      const name = posix.basename(entry.path);
      if (!this.ctx.matches(filename, name)) continue;
      this.add(entry, name);
    }
  }

  private async up(dir: TreeEntry, filename: ObjectEntitySpec): Promise<void> {
    const { maxDepth } = this.behaviors;
    let current = dir.path;
    for (let level = 0; maxDepth === -1 || level <= maxDepth; level++) {
      const own = (await this.tree({ path: current, maxDepth: 0 }))?.entries[0];
      if (own && isDirLike(own)) await this.inDirectory(own, filename);
      if (current === '/') break;
      current = posix.dirname(current);
    }
  }
}

/**
 * The entries `object` selects. Throws (an unsupported construct, which the session reports as an
 * `error` flag) when the object has neither `filepath` nor `path` + `filename`.
 */
export async function selectFiles(
  object: ResolvedObject,
  ctx: ProbeContext,
  behaviors: FileBehaviors,
): Promise<Selection> {
  const selector = new Selector(ctx, behaviors, object.hints?.specialModesOnly === true, {
    ...(object.hints?.excludeUids ? { excludeUids: object.hints.excludeUids } : {}),
    ...(object.hints?.excludeGids ? { excludeGids: object.hints.excludeGids } : {}),
  });
  const filepath = object.entities.get('filepath');
  const path = object.entities.get('path');
  const filename = object.entities.get('filename');
  if (filepath) await selector.byFilepath(filepath);
  else if (path && filename) await selector.byPath(path, filename);
  else throw new Error(`${object.id}: a ${object.type} needs filepath, or path and filename`);
  return { candidates: selector.candidates, problems: selector.problems };
}
