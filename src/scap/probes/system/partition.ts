/**
 * linux:partition_object -> partition_item, as oscap 1.3.7 reads the mount table.
 *
 * - Live: /proc/mounts (the `mounts` fact). Offline, oscap-chroot reads <root>/proc/mounts, which
 *   an image normally lacks: "does not exist". We read the same file.
 * - `equals` takes the FIRST matching line only; other operations take every matching line;
 *   `rootfs` lines are skipped.
 * - mount_options: the options as listed, then oscap adds "bind" when statvfs reports ST_RELATIME
 *   (same bit as MS_BIND: an oscap bug, verified: every relatime mount gets "bind") and "move" for
 *   ST_NOSYMFOLLOW (= MS_MOVE). statvfs looks at the path as mounted (offline: the host mount the
 *   root directory is on, verified with oscap-chroot), so the `filesystem-usage` fact reports the
 *   options of the mount holding the path.
 * - total_space = f_blocks, space_used = f_blocks - f_bfree, space_left = f_bfree, in blocks;
 *   block_size (f_frsize) only for OVAL >= 5.11.2 content. A mount point that cannot be statvfs'd
 *   yields no item and, as in oscap, ends the collection.
 * - uuid from /dev/disk/by-uuid; none found -> empty with status "does not exist" (oscap's blkid).
 */
import type { MountEntry } from '../../../core/facts/fact-values.js';
import { parseMountTable } from '../../../targets/mount-table.js';
import type { ObjectCollection, OvalProbe, ProbeContext, ProbeItem } from '../../oval-session/probe.js';
import {
  complete,
  DEFAULT_SCHEMA_VERSION,
  type FieldSpec,
  factFailure,
  int,
  makeItem,
  requiredEntity,
  type SystemProbeOptions,
  schemaAtLeast,
} from './common.js';

const BY_UUID = '/dev/disk/by-uuid';

/**
 * The mount options as oscap lists them: the listed ones, then its statvfs-derived extras, which
 * come from the filesystem actually holding the path (`statvfsOptions`). Live that is the listed
 * mount itself; offline it is the host mount the root directory lives on.
 */
export function oscapMountOptions(listed: string[], statvfsOptions: string[]): string[] {
  const options = [...listed];
  if (statvfsOptions.includes('relatime')) options.push('bind');
  if (statvfsOptions.includes('nosymfollow')) options.push('move');
  return options;
}

async function mountTable(ctx: ProbeContext): Promise<MountEntry[] | ObjectCollection> {
  if (ctx.live) {
    const result = await ctx.fact({ kind: 'mounts' });
    return result.status === 'ok' ? result.value.mounts : factFailure(result, '/proc/mounts');
  }
  const result = await ctx.fact({ kind: 'file-text', path: '/proc/mounts' });
  if (result.status !== 'ok') return factFailure(result, '/proc/mounts');
  return parseMountTable(result.value.text ?? '');
}

/** Device path -> UUID, from the udev symlinks. */
async function uuidsByDevice(ctx: ProbeContext): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const list = await ctx.fact({ kind: 'dir-list', path: BY_UUID });
  if (list.status !== 'ok' || !list.value.exists) return map;
  for (const entry of list.value.entries) {
    const link = await ctx.fact({ kind: 'stat', path: `${BY_UUID}/${entry.name}` });
    const target = link.status === 'ok' ? link.value.linkTarget : undefined;
    if (target === undefined) continue;
    const device = target.startsWith('/') ? target : new URL(target, `file://${BY_UUID}/`).pathname;
    map.set(device, entry.name);
  }
  return map;
}

export function createPartitionProbe(options: SystemProbeOptions = {}): OvalProbe {
  const withBlockSize = schemaAtLeast(options.schemaVersion ?? DEFAULT_SCHEMA_VERSION, '5.11.2');
  return {
    family: 'linux',
    objectType: 'partition_object',
    async collect(object, ctx): Promise<ObjectCollection> {
      const mountPoint = requiredEntity(object, 'mount_point');
      const table = await mountTable(ctx);
      if (!Array.isArray(table)) return table;
      const firstOnly = mountPoint.operation === 'equals';
      let uuids: Map<string, string> | undefined;
      const items: ProbeItem[] = [];
      for (const mount of table) {
        if (mount.fsType === 'rootfs' || !ctx.matches(mountPoint, mount.mountPoint)) continue;
        const usage = await ctx.fact({ kind: 'filesystem-usage', path: mount.mountPoint });
        // A target that cannot statvfs (no such primitive) must not look like "no partition".
        if (usage.status !== 'ok') return factFailure(usage, `filesystem usage of ${mount.mountPoint}`);
        if (!usage.value.exists) break;
        uuids ??= await uuidsByDevice(ctx);
        const uuid = uuids.get(mount.device);
        const { blocks = 0, blocksFree = 0, blockSize = 0 } = usage.value;
        const fields: [string, FieldSpec | FieldSpec[]][] = [
          ['mount_point', mount.mountPoint],
          ['device', mount.device],
          ['uuid', uuid === undefined ? { value: '', status: 'does not exist' } : uuid],
          ['fs_type', mount.fsType],
          ['mount_options', oscapMountOptions(mount.options, usage.value.mountOptions ?? [])],
          ['total_space', int(blocks)],
          ['space_used', int(blocks - blocksFree)],
          ['space_left', int(blocksFree)],
        ];
        if (withBlockSize) fields.push(['block_size', int(blockSize)]);
        items.push(makeItem('linux', 'partition_item', fields));
        if (firstOnly) break;
      }
      return complete(items);
    },
  };
}
