/**
 * Fact requests: the typed questions a check may ask about a target.
 *
 * A request is plain data so the planner can deduplicate it by key, the cache can store its answer,
 * and an agent can collect it far from where the rule is evaluated. Paths are always absolute paths
 * *inside the target* (a root-directory target re-roots them; an SSH target sends them over the wire).
 */

/** Text of one file (at most `maxBytes`, default 4 MiB). */
export interface FileTextRequest {
  kind: 'file-text';
  path: string;
}

/** lstat (or stat when `follow`) of one path. */
export interface StatRequest {
  kind: 'stat';
  path: string;
  follow?: boolean;
}

/** Entries of one directory. */
export interface DirListRequest {
  kind: 'dir-list';
  path: string;
}

/**
 * Text of every regular file in `dirs` whose base name matches the glob `pattern` (e.g. `*.conf`).
 * Used for drop-in directories (sysctl.d, modprobe.d, sudoers.d, sshd_config.d) whose precedence
 * rules the checks apply themselves.
 */
export interface FileGlobRequest {
  kind: 'file-glob';
  dirs: string[];
  pattern: string;
}

/**
 * A configuration file plus every file it includes, recursively, in the order they are read.
 * `syntax` says how includes are written: `sshd` (`Include glob`, relative to /etc/ssh),
 * `sudoers` (`@includedir` / `#includedir` / `@include`). The check applies the format's
 * semantics (e.g. sshd's first match wins); the collector only gathers the files.
 */
export interface ConfigTreeRequest {
  kind: 'config-tree';
  path: string;
  syntax: 'sshd' | 'sudoers';
}

/**
 * The one filesystem walk. There is deliberately no parameter: every filesystem-wide rule
 * (world-writable, sticky bit, unowned, SUID/SGID) is answered from the same walk, so a scan walks once.
 */
export interface WalkRequest {
  kind: 'walk';
}

/** The package database (dpkg, or rpm where present). */
export interface PackagesRequest {
  kind: 'packages';
}

/** Runtime kernel parameter from /proc/sys (live targets only). */
export interface SysctlRuntimeRequest {
  kind: 'sysctl-runtime';
  key: string;
}

/** A systemd unit: its unit file on disk, enablement links, and live state where the target is live. */
export interface SystemdUnitRequest {
  kind: 'systemd-unit';
  unit: string;
}

/** Kernel modules loaded right now (/proc/modules, live targets only). */
export interface LoadedModulesRequest {
  kind: 'loaded-modules';
}

/** Mounted filesystems (/proc/mounts, live targets only). */
export interface MountsRequest {
  kind: 'mounts';
}

/** Parsed /etc/passwd. */
export interface PasswdRequest {
  kind: 'passwd';
}

/** Parsed /etc/shadow. */
export interface ShadowRequest {
  kind: 'shadow';
}

/** Parsed /etc/group. */
export interface GroupRequest {
  kind: 'group';
}

/** Parsed os-release (/etc/os-release, falling back to /usr/lib/os-release). */
export interface OsReleaseRequest {
  kind: 'os-release';
}

/** Output of one command, given as an argv array (never a shell string), with a timeout. */
export interface CommandRequest {
  kind: 'command';
  argv: string[];
  timeoutMs?: number;
}

/**
 * Every paragraph of dpkg's status database, whatever its state (the `packages` fact keeps only
 * configured packages; OVAL's dpkginfo follows APT, which also counts unpacked/half-configured ones).
 */
export interface DpkgStatusRequest {
  kind: 'dpkg-status';
}

/** Names of the readable runtime kernel parameters under /proc/sys (live targets only). */
export interface SysctlListRequest {
  kind: 'sysctl-list';
}

/** uname(2) of the running kernel (live targets only). */
export interface UnameRequest {
  kind: 'uname';
}

/** Network interfaces with their addresses and flags (live targets only). */
export interface NetworkInterfacesRequest {
  kind: 'network-interfaces';
}

/**
 * Environment of a process, from /proc/PID/environ. Without `pid`, the scanning process itself
 * (what OVAL's environmentvariable58 means by a nil pid); that one exists on live targets only.
 */
export interface ProcessEnvironmentRequest {
  kind: 'process-environment';
  pid?: number;
}

/** statvfs(3) of the filesystem holding `path`: block counts as OVAL's partition item reports them. */
export interface FilesystemUsageRequest {
  kind: 'filesystem-usage';
  path: string;
}

/**
 * Every entry below `path` (lstat of each, symlink targets classified), for OVAL file objects that
 * recurse or match paths by pattern. `path` itself is followed when it is a symlink (it is listed
 * with its own lstat, at depth 0). `maxDepth` bounds the depth listed (1 = the entries of `path`);
 * unbounded when absent. `follow` descends into symlinks to directories (with a cycle guard), listing
 * their entries under the link's path. `filesystems`: `all` (default), `local` (do not descend into
 * proc, sysfs, autofs or network filesystems, and list nothing when `path` itself is on one: oscap's
 * `recurse_file_system="local"`) or `same` (stay on the filesystem of `path`). `select: 'special'`
 * lists only entries with the world-writable, setuid or setgid bit (directories are still
 * descended), so a `/`-wide walk ships only what a world-writable or SUID rule can keep.
 * `uidNotIn` / `gidNotIn` likewise list only entries whose owner / group is none of these ids
 * (an unowned-files rule keeps nothing else). `classifyLinks: false` (only without `follow`) leaves
 * symlinks' `targetType` unset: resolving thousands of links inside an offline root costs more
 * than the listing, and a probe that does not follow links never asks where they point.
 */
export interface FileTreeRequest {
  kind: 'file-tree';
  path: string;
  maxDepth?: number;
  follow?: boolean;
  filesystems?: 'all' | 'local' | 'same';
  select?: 'all' | 'special';
  uidNotIn?: number[];
  gidNotIn?: number[];
  classifyLinks?: boolean;
}

export type FactRequest =
  | FileTextRequest
  | StatRequest
  | DirListRequest
  | FileGlobRequest
  | ConfigTreeRequest
  | WalkRequest
  | PackagesRequest
  | SysctlRuntimeRequest
  | SystemdUnitRequest
  | LoadedModulesRequest
  | MountsRequest
  | PasswdRequest
  | ShadowRequest
  | GroupRequest
  | OsReleaseRequest
  | CommandRequest
  | FileTreeRequest
  | DpkgStatusRequest
  | SysctlListRequest
  | UnameRequest
  | NetworkInterfacesRequest
  | ProcessEnvironmentRequest
  | FilesystemUsageRequest;

export type FactKind = FactRequest['kind'];

export type FactRequestOf<K extends FactKind> = Extract<FactRequest, { kind: K }>;

/**
 * Canonical key of a request: kind first, then the other fields in sorted order, so that two
 * requests asking the same question always share one key (and one collection).
 */
export function factKey(request: FactRequest): string {
  const { kind, ...rest } = request as { kind: string } & Record<string, unknown>;
  const fields = Object.keys(rest)
    .filter((name) => rest[name] !== undefined)
    .sort()
    .map((name) => `${name}=${JSON.stringify(rest[name])}`);
  return fields.length === 0 ? kind : `${kind}:${fields.join(',')}`;
}
