/**
 * /proc/mounts parsing and the choice of which filesystems the walk covers.
 */
import type { MountEntry } from '../core/facts/fact-values.js';

/** The kernel escapes space, tab, newline and backslash in mount fields as octal (`\040`). */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

export function parseMountTable(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const [device, mountPoint, fsType, options] = fields;
    if (device === undefined || mountPoint === undefined || fsType === undefined) continue;
    mounts.push({
      device: unescapeMountField(device),
      mountPoint: unescapeMountField(mountPoint),
      fsType,
      options: options ? options.split(',') : [],
    });
  }
  return mounts;
}

/** Kernel-generated or device-node filesystems: nothing on them is an administrator's file. */
const PSEUDO_TYPES = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'cgroup',
  'cgroup2',
  'securityfs',
  'debugfs',
  'tracefs',
  'pstore',
  'bpf',
  'configfs',
  'fusectl',
  'mqueue',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'efivarfs',
  'selinuxfs',
  'rpc_pipefs',
  'nsfs',
  'nfsd',
]);

/**
 * Remote filesystems (another host's policy, and walking them can hang a scan), and filesystems
 * without Unix permissions (vfat, iso9660: their modes come from mount options, so every file
 * would look world-writable or unowned). Matches the exclusions of CIS's own audit commands.
 */
const SKIPPED_TYPES = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'ncpfs',
  'afs',
  'ceph',
  'glusterfs',
  'lustre',
  'gpfs',
  '9p',
  'davfs',
  'sshfs',
  'vfat',
  'msdos',
  'exfat',
  'iso9660',
  'udf',
  'squashfs',
]);

/** Mount points under these are runtime views or per-user session mounts, never walked. */
const SKIPPED_PREFIXES = [
  '/proc/',
  '/sys/',
  '/run/user/',
  '/snap/',
  '/var/lib/docker/',
  '/var/lib/containers/',
];

/**
 * Container runtimes' filesystems (a container's rootfs is another target, scanned as such);
 * the same exclusions as CIS's audit scripts (paths containing containerd/, kubelet/pods/, …).
 */
const SKIPPED_INFIXES = ['/containerd/', '/kubelet/pods/', '/kubelet/plugins/'];

export function isWalkable(mount: MountEntry): boolean {
  const type = mount.fsType;
  if (PSEUDO_TYPES.has(type) || SKIPPED_TYPES.has(type)) return false;
  // fuse.sshfs, fuse.rclone, fuseblk…: user-space filesystems are treated as remote.
  if (type === 'fuse' || type.startsWith('fuse.') || type === 'fuseblk') return false;
  if (mount.mountPoint === '/proc' || mount.mountPoint === '/sys') return false;
  if (SKIPPED_INFIXES.some((infix) => mount.mountPoint.includes(infix))) return false;
  return !SKIPPED_PREFIXES.some((prefix) => mount.mountPoint.startsWith(prefix));
}

/**
 * Roots of the local walk: every local filesystem's mount point (each then walked without crossing
 * into other filesystems). tmpfs IS walked: /tmp, /dev/shm and /run are often tmpfs and are exactly
 * where world-writable directories without the sticky bit show up; CIS's audit scripts include them.
 * `skipped` lists the mount points that were not walked.
 */
export function planWalk(mounts: MountEntry[]): { roots: string[]; skipped: string[] } {
  const roots: string[] = [];
  const skipped: string[] = [];
  for (const mount of mounts) {
    const list = isWalkable(mount) ? roots : skipped;
    if (!list.includes(mount.mountPoint)) list.push(mount.mountPoint);
  }
  if (roots.length === 0) roots.push('/');
  return { roots, skipped: skipped.filter((path) => !roots.includes(path)) };
}

/**
 * The mount holding `path` (a host path): the longest mount point that is `path` or one of its
 * parents; of several mounts on one point the last (topmost) wins. Undefined for a relative path.
 */
export function mountHolding(mounts: MountEntry[], path: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const mount of mounts) {
    const point = mount.mountPoint;
    const inside = point === '/' || path === point || path.startsWith(`${point}/`);
    if (inside && path.startsWith('/') && (!best || point.length >= best.mountPoint.length)) best = mount;
  }
  return best;
}
