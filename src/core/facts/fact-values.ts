/**
 * The typed answers to fact requests. Collectors produce them; checks read them.
 * Values are plain JSON-serialisable data (no Map, no Buffer) so they can be cached on disk
 * and shipped from an agent to a server unchanged.
 */
import type { FactKind } from './fact-request.js';

export type FileType = 'file' | 'dir' | 'symlink' | 'char' | 'block' | 'fifo' | 'socket' | 'unknown';

export interface FileTextValue {
  path: string;
  exists: boolean;
  /** UTF-8 text; absent when the file does not exist or is not a regular file. */
  text?: string;
  /** True when the file was larger than the collector's limit and `text` holds only its head. */
  truncated?: boolean;
}

export interface StatValue {
  path: string;
  exists: boolean;
  type?: FileType;
  /** Permission bits including setuid/setgid/sticky (mode & 0o7777). */
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  mtimeMs?: number;
  /** Access and status-change times (ms since epoch), where the transport reports them. */
  atimeMs?: number;
  ctimeMs?: number;
  /** Target of a symlink (when not followed). */
  linkTarget?: string;
}

export interface DirEntry {
  name: string;
  type: FileType;
}

export interface DirListValue {
  path: string;
  exists: boolean;
  entries: DirEntry[];
}

export interface GlobFile {
  /** Absolute path inside the target. */
  path: string;
  text: string;
}

export interface FileGlobValue {
  /** Matching files, grouped in the order of the requested dirs, sorted by name within a dir. */
  files: GlobFile[];
}

export interface ConfigTreeValue {
  /** The root file first, then included files in the order the include directives name them. */
  files: GlobFile[];
  /** Include patterns that matched nothing (informational). */
  unmatchedIncludes: string[];
  /** False when the root file does not exist. */
  exists: boolean;
}

/** One entry the walk kept because it carries a permission or ownership of interest. */
export interface WalkEntry {
  path: string;
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
}

export interface WalkValue {
  /** Entries with any of: world-writable bit, setuid, setgid (regardless of owner). */
  special: WalkEntry[];
  /** Entries whose uid has no passwd entry or whose gid has no group entry on the target. */
  unowned: WalkEntry[];
  /** Number of entries visited. */
  visited: number;
  /** Mount points / pseudo filesystems that were not descended into. */
  skipped: string[];
  /** When the walk was started (ms since epoch); the walk is refreshed on its own interval. */
  startedAt: number;
}

export interface PackageInfo {
  name: string;
  version: string;
  arch?: string;
  /** dpkg status, e.g. "install ok installed"; rpm packages are always "installed". */
  status: string;
}

export interface PackagesValue {
  manager: 'dpkg' | 'rpm' | 'none';
  /** Installed packages only, keyed by name. */
  packages: Record<string, PackageInfo>;
}

export interface SysctlRuntimeValue {
  key: string;
  exists: boolean;
  value?: string;
  /**
   * Whether the kernel's text ended with the newline `value` drops. False for a parameter that
   * returns nothing at all (e.g. vm/stat_refresh), which sysctl(8) skips; '\n' alone is an empty value.
   */
  newlineTerminated?: boolean;
}

export interface SystemdUnitValue {
  unit: string;
  /** The unit file that applies (first found in the unit search path), or null. */
  unitFile: { path: string; text: string } | null;
  /** Masked: the unit name is linked to /dev/null in /etc/systemd/system or /run/systemd/system. */
  masked: boolean;
  /** Symlinks in *.wants / *.requires directories that name this unit. */
  wantedBy: string[];
  /** Live state from systemd; absent on offline targets. */
  activeState?: string;
  unitFileState?: string;
}

export interface LoadedModulesValue {
  modules: string[];
}

export interface MountEntry {
  device: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

export interface MountsValue {
  mounts: MountEntry[];
}

export interface PasswdEntry {
  name: string;
  password: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
  line: number;
}

export interface PasswdValue {
  path: string;
  entries: PasswdEntry[];
}

export interface ShadowEntry {
  name: string;
  /** The password field as written ('!' / '*' prefixed when locked, empty when none). */
  password: string;
  lastChange: number | null;
  minDays: number | null;
  maxDays: number | null;
  warnDays: number | null;
  inactiveDays: number | null;
  expire: number | null;
  line: number;
}

export interface ShadowValue {
  path: string;
  entries: ShadowEntry[];
}

export interface GroupEntry {
  name: string;
  password: string;
  gid: number;
  members: string[];
  line: number;
}

export interface GroupValue {
  path: string;
  entries: GroupEntry[];
}

export interface OsReleaseValue {
  /** e.g. "debian", "ubuntu" */
  id: string;
  /** e.g. "12", "22.04" */
  versionId: string;
  idLike: string[];
  prettyName: string;
  fields: Record<string, string>;
}

export interface CommandValue {
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** One paragraph of dpkg's status database. */
export interface DpkgStatusEntry {
  name: string;
  /** `Status:` as written, e.g. "install ok installed", "deinstall ok config-files". */
  status: string;
  /** Empty when the paragraph has none (not-installed packages). */
  version: string;
  arch: string;
}

export interface DpkgStatusValue {
  /** False when the target has no /var/lib/dpkg/status (not a dpkg system). */
  exists: boolean;
  entries: DpkgStatusEntry[];
}

export interface SysctlListEntry {
  /** Dotted name as sysctl(8) and OVAL write it (`net.ipv4.ip_forward`). */
  name: string;
  /** Path under /proc/sys in key form accepted by `sysctl-runtime` (`net/ipv4/ip_forward`). */
  key: string;
}

export interface SysctlListValue {
  /** Readable parameters in directory order (depth first, as the kernel lists them). */
  entries: SysctlListEntry[];
}

export interface UnameValue {
  sysname: string;
  nodename: string;
  release: string;
  version: string;
  machine: string;
}

export interface InterfaceAddress {
  family: 'inet' | 'inet6';
  address: string;
  /** IPv4 dotted netmask; for IPv6 the prefix length. */
  netmask?: string;
  prefixLength: number;
  broadcast?: string;
}

export interface NetworkInterface {
  name: string;
  /** ARPHRD_* number from /sys/class/net/NAME/type. */
  arpType: number;
  /** Hardware address as the kernel writes it (lower case), '' when none. */
  hardwareAddress: string;
  /** IFF_* flags as SIOCGIFFLAGS reports them (IFF_RUNNING derived from operstate). */
  flags: number;
  addresses: InterfaceAddress[];
}

export interface NetworkInterfacesValue {
  interfaces: NetworkInterface[];
}

export interface ProcessEnvironmentValue {
  pid: number;
  exists: boolean;
  /** Variables in the order the process holds them; entries without '=' are dropped. */
  variables: { name: string; value: string }[];
}

export interface FilesystemUsageValue {
  path: string;
  exists: boolean;
  /** Fundamental block size (f_frsize) and counts in those blocks. */
  blockSize?: number;
  blocks?: number;
  blocksFree?: number;
  blocksAvailable?: number;
  /** Options of the mount holding the path (statvfs f_flag as mount options). */
  mountOptions?: string[];
}

/** One entry of a `file-tree` listing: its own lstat, never the target's. */
export interface TreeEntry {
  /** Absolute target path (below a followed symlink: the path through the link). */
  path: string;
  /** 0 for the listed root, 1 for its entries, ... */
  depth: number;
  type: FileType;
  /** Symlinks only: the type of what the link resolves to, null when dangling or looping. */
  targetType?: FileType | null;
  /** mode & 0o7777 */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atimeMs: number;
  ctimeMs: number;
  mtimeMs: number;
}

export interface FileTreeValue {
  path: string;
  /** False when `path` does not exist (a dangling symlink exists: it is listed alone). */
  exists: boolean;
  /** Pre-order, sorted by path within a directory. */
  entries: TreeEntry[];
  /** Number of entries visited (including those `select` left out). */
  visited: number;
}

export interface FactValueMap {
  'file-text': FileTextValue;
  stat: StatValue;
  'dir-list': DirListValue;
  'file-glob': FileGlobValue;
  'config-tree': ConfigTreeValue;
  walk: WalkValue;
  packages: PackagesValue;
  'sysctl-runtime': SysctlRuntimeValue;
  'systemd-unit': SystemdUnitValue;
  'loaded-modules': LoadedModulesValue;
  mounts: MountsValue;
  passwd: PasswdValue;
  shadow: ShadowValue;
  group: GroupValue;
  'os-release': OsReleaseValue;
  command: CommandValue;
  'file-tree': FileTreeValue;
  'dpkg-status': DpkgStatusValue;
  'sysctl-list': SysctlListValue;
  uname: UnameValue;
  'network-interfaces': NetworkInterfacesValue;
  'process-environment': ProcessEnvironmentValue;
  'filesystem-usage': FilesystemUsageValue;
}

export type FactValue<K extends FactKind> = FactValueMap[K];
