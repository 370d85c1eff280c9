/**
 * A target is a transport: the primitive operations collectors need, answered for one host.
 * `local` answers from this machine, `root` from a directory treated as a root filesystem; SSH and
 * agent targets add a transport, never new checks or collectors.
 */
import type {
  CommandValue,
  DirEntry,
  FileTreeValue,
  FileType,
  WalkValue,
} from '../core/facts/fact-values.js';
import type { TargetKind } from '../core/target-kind.js';

export interface TransportStat {
  type: FileType;
  /** mode & 0o7777 */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  /** Access and status-change times (ms since epoch); optional for transports that lack them. */
  atimeMs?: number;
  ctimeMs?: number;
  dev: number;
  ino: number;
  /** dev:ino:size:mtimeNs:ctimeNs — changes whenever content, mode or owner could have changed. */
  fingerprint: string;
}

export interface WalkOptions {
  /** uids / gids known to the target's passwd / group; entries owned by others are "unowned". */
  knownUids: ReadonlySet<number>;
  knownGids: ReadonlySet<number>;
  /**
   * Target paths to walk instead of the transport's default (every local filesystem). Each is
   * walked without crossing into other filesystems. Meant for tests and benchmarks.
   */
  roots?: readonly string[];
  /** `auto` (default) uses GNU find when present, else the pure-Node walker; tests force one. */
  walker?: 'auto' | 'find' | 'node';
}

/** Block counts of one filesystem, in units of `blockSize` (statvfs f_frsize). */
export interface FilesystemStats {
  blockSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvailable: number;
  /**
   * Options of the mount holding the path, as statvfs's f_flag reflects them (for a root
   * directory: the host mount the directory lives on).
   */
  mountOptions: string[];
}

/** A `file-tree` listing (see FileTreeRequest); `path` is a target path. */
export interface TreeOptions {
  path: string;
  maxDepth?: number;
  follow?: boolean;
  filesystems?: 'all' | 'local' | 'same';
  select?: 'all' | 'special';
  /** Only entries whose uid / gid is none of these (see FileTreeRequest). */
  uidNotIn?: readonly number[];
  gidNotIn?: readonly number[];
  /** false: symlinks' targetType is left unset (only honoured without `follow`). */
  classifyLinks?: boolean;
  /** `auto` (default) uses GNU find when present, else the pure-Node lister; tests force one. */
  lister?: 'auto' | 'find' | 'node';
  /** Parallel finds for an unbounded listing (default: the machine's cores; 1 = one find). */
  workers?: number;
}

export interface ExecOptions {
  timeoutMs: number;
}

export interface Transport {
  readonly kind: TargetKind;
  /** Human description for reports, e.g. "local host" or "root /srv/rootfs". */
  readonly description: string;
  /** True when runtime state (/proc, /sys, systemd, commands) describes the target. */
  readonly live: boolean;
  /**
   * Content of a regular file, following symlinks (up to maxBytes); null when the path does not
   * exist. Throws when the path is not a regular file (a FIFO must never block a scan).
   */
  readFile(path: string, maxBytes: number): Promise<{ data: Buffer; truncated: boolean } | null>;
  /** lstat; null when the path does not exist. */
  lstat(path: string): Promise<TransportStat | null>;
  /** stat following symlinks (confined to the target); null when missing or dangling. */
  stat(path: string): Promise<TransportStat | null>;
  /** Raw symlink text as stored on the target; null when the path is missing or not a symlink. */
  readlink(path: string): Promise<string | null>;
  /**
   * The path with every symlink resolved (confined to the target), as a target path; null when
   * a component is missing, dangling or loops. Collectors add it to a fact's sources when they
   * read through a symlink, so a change to the link's target also invalidates the fact.
   */
  realpath(path: string): Promise<string | null>;
  /** Directory entries; null when the directory does not exist. */
  readdir(path: string): Promise<DirEntry[] | null>;
  /** The one filesystem-wide walk, skipping pseudo and remote filesystems. */
  walk(options: WalkOptions): Promise<WalkValue>;
  /**
   * Recursive listing for OVAL file objects (find where present). Optional: without it the
   `file-tree` collector lists through readdir/lstat/stat, which is correct but slower.
   */
  listTree?(options: TreeOptions): Promise<FileTreeValue>;
  /**
   * statvfs of the filesystem holding `path` (null when the path does not exist). Optional: a
   * transport that cannot answer leaves it out and the `filesystem-usage` fact is unavailable.
   */
  statfs?(path: string): Promise<FilesystemStats | null>;
  /** Runs argv (no shell). Throws on a non-live target. */
  exec(argv: string[], options: ExecOptions): Promise<CommandValue>;
  close(): Promise<void>;
}
