/**
 * Classification shared by both walkers, so `find` and the pure-Node fallback cannot disagree on
 * what counts as special or unowned: they only differ in how they enumerate entries.
 */
import type { FileType, WalkEntry, WalkValue } from '../../core/facts/fact-values.js';

const WORLD_WRITABLE = 0o002;
const SETUID_SETGID = 0o6000;

/**
 * World-writable (ignoring symlinks, whose permission bits are always 0777 and meaningless),
 * setuid or setgid. Sticky-less world-writable dirs are a subset the checks filter themselves.
 */
export function isSpecial(type: FileType, mode: number): boolean {
  return ((mode & WORLD_WRITABLE) !== 0 && type !== 'symlink') || (mode & SETUID_SETGID) !== 0;
}

export class WalkAccumulator {
  visited = 0;
  private readonly special: WalkEntry[] = [];
  private readonly unowned: WalkEntry[] = [];
  private readonly seen = new Set<string>();

  constructor(
    private readonly knownUids: ReadonlySet<number>,
    private readonly knownGids: ReadonlySet<number>,
  ) {}

  /** Counts an entry the walker looked at but that cannot be of interest. */
  countPlain(): void {
    this.visited++;
  }

  add(entry: WalkEntry): void {
    this.visited++;
    const special = isSpecial(entry.type, entry.mode);
    const unowned = !this.knownUids.has(entry.uid) || !this.knownGids.has(entry.gid);
    if (!special && !unowned) return;
    // Bind mounts can show one entry under two roots; report each path once.
    if (this.seen.has(entry.path)) return;
    this.seen.add(entry.path);
    if (special) this.special.push(entry);
    if (unowned) this.unowned.push(entry);
  }

  result(skipped: string[], startedAt: number): WalkValue {
    return {
      special: this.special.sort(byPath),
      unowned: this.unowned.sort(byPath),
      visited: this.visited,
      skipped: [...new Set(skipped)].sort(),
      startedAt,
    };
  }
}

function byPath(a: WalkEntry, b: WalkEntry): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** Sorted, merged inclusive ranges of the ids in `ids`: {0,1,2,5} -> [[0,2],[5,5]]. */
export function idRanges(ids: ReadonlySet<number>): Array<[number, number]> {
  const sorted = [...ids].filter((id) => Number.isInteger(id) && id >= 0).sort((a, b) => a - b);
  const ranges: Array<[number, number]> = [];
  for (const id of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && id <= last[1] + 1) last[1] = Math.max(last[1], id);
    else ranges.push([id, id]);
  }
  return ranges;
}
