/**
 * Offline (root-dir) behaviour of the system probes on a synthetic root, through the real
 * transport and collectors, compared with `oscap-chroot` on a read-only bind mount of the same
 * tree when oscap and root are available. The root carries what an image normally lacks (a
 * /proc/mounts file, a /proc/PID/environ) to exercise oscap-chroot's root-prefixed reads.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PID_NOT_FOUND } from '../../../../src/scap/probes/system/environment.js';
import { SYSTEM_PROBES } from '../../../../src/scap/probes/system/index.js';
import { openRootDirTransport } from '../../../../src/targets/index.js';
import { isRoot, makeTree, removeTree } from '../../../../src/targets/temp-tree.js';
import {
  contextFor,
  hasOscap,
  type OscapObject,
  object,
  oscapCollect,
  type PlainItem,
  plain,
} from './helpers.js';

const run = promisify(execFile);

const MOUNTS = [
  '/dev/sda1 / ext4 rw,nosuid,relatime 0 0',
  '/dev/sda2 /boot ext4 rw,noatime,nosymfollow 0 0',
  'rootfs / rootfs rw 0 0',
  '/dev/sdz /missing xfs rw 0 0',
  '/dev/sda3 /boot ext2 ro 0 0',
].join('\n');

const TREE = {
  '/proc/mounts': `${MOUNTS}\n`,
  '/proc/4242/environ': 'A=1\0PATH=/bin\0junk\0B=x=y\0',
  '/boot': { dir: true as const },
  '/etc/passwd':
    'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/sh\nbad line\n',
  '/etc/shadow': 'root:$y$j9T$salt$hash:19700:0:99999:7:::\n',
  '/var/lib/dpkg/status':
    'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n',
};

type Entities = Parameters<typeof object>[2];
interface Case {
  name: string;
  oscap: OscapObject;
  entities: Entities;
  /** Expected flag ('does not exist' = complete without items) and item count. */
  flag: string;
  count: number;
  /**
   * False where oscap-chroot fails for reasons of the synthetic tree, not of the probe: its APT
   * cache needs a full dpkg/apt layout (/usr/share/dpkg/cputable...) and reports "does not exist"
   * without one. dpkginfo is compared on the real fixture roots instead.
   */
  oscapComparable?: false;
}

const CASES: Case[] = [
  {
    name: 'partition equals: first line only',
    oscap: { family: 'linux', type: 'partition_object', xml: '<linux:mount_point>/boot</linux:mount_point>' },
    entities: { mount_point: { value: '/boot' } },
    flag: 'complete',
    count: 1,
  },
  {
    name: 'partition pattern: stops at the first mount point statvfs fails on',
    oscap: {
      family: 'linux',
      type: 'partition_object',
      xml: '<linux:mount_point operation="pattern match">.*</linux:mount_point>',
    },
    entities: { mount_point: { value: '.*', operation: 'pattern match' } },
    flag: 'complete',
    count: 2,
  },
  {
    name: 'partition not equal',
    oscap: {
      family: 'linux',
      type: 'partition_object',
      xml: '<linux:mount_point operation="not equal">/boot</linux:mount_point>',
    },
    entities: { mount_point: { value: '/boot', operation: 'not equal' } },
    flag: 'complete',
    count: 1,
  },
  {
    name: 'environment of an explicit pid under <root>/proc',
    oscap: {
      family: 'ind',
      type: 'environmentvariable58_object',
      xml: '<ind:pid datatype="int">4242</ind:pid><ind:name operation="pattern match">.*</ind:name>',
    },
    entities: { pid: { value: '4242', datatype: 'int' }, name: { value: '.*', operation: 'pattern match' } },
    flag: 'complete',
    count: 3,
  },
  {
    name: 'environment of a pid that is not there',
    oscap: {
      family: 'ind',
      type: 'environmentvariable58_object',
      xml: '<ind:pid datatype="int">999</ind:pid><ind:name>A</ind:name>',
    },
    entities: { pid: { value: '999', datatype: 'int' }, name: { value: 'A' } },
    flag: 'does not exist',
    count: 0,
  },
  {
    name: 'environment, nil pid: the scanner is not in the root',
    oscap: {
      family: 'ind',
      type: 'environmentvariable58_object',
      xml: '<ind:pid xsi:nil="true" datatype="int"/><ind:name>PATH</ind:name>',
    },
    entities: { pid: { nil: true, datatype: 'int' }, name: { value: 'PATH' } },
    flag: 'does not exist',
    count: 0,
  },
  {
    name: 'password from <root>/etc/passwd, malformed line skipped',
    oscap: {
      family: 'unix',
      type: 'password_object',
      xml: '<unix:username operation="pattern match">.*</unix:username>',
    },
    entities: { username: { value: '.*', operation: 'pattern match' } },
    flag: 'complete',
    count: 2,
  },
  {
    name: 'dpkginfo from <root>/var/lib/dpkg/status',
    oscap: { family: 'linux', type: 'dpkginfo_object', xml: '<linux:name>bash</linux:name>' },
    entities: { name: { value: 'bash' } },
    flag: 'complete',
    count: 1,
    oscapComparable: false,
  },
  {
    name: 'shadow: not applicable offline',
    oscap: { family: 'unix', type: 'shadow_object', xml: '<unix:username>root</unix:username>' },
    entities: { username: { value: 'root' } },
    flag: 'not applicable',
    count: 0,
  },
  {
    name: 'sysctl: not applicable offline',
    oscap: { family: 'unix', type: 'sysctl_object', xml: '<unix:name>kernel.randomize_va_space</unix:name>' },
    entities: { name: { value: 'kernel.randomize_va_space' } },
    flag: 'not applicable',
    count: 0,
  },
  {
    name: 'uname: not applicable offline',
    oscap: { family: 'unix', type: 'uname_object', xml: '' },
    entities: {},
    flag: 'not applicable',
    count: 0,
  },
  {
    name: 'interface: not applicable offline',
    oscap: {
      family: 'unix',
      type: 'interface_object',
      xml: '<unix:name operation="pattern match">.*</unix:name>',
    },
    entities: { name: { value: '.*', operation: 'pattern match' } },
    flag: 'not applicable',
    count: 0,
  },
];

/** Free blocks change between two runs on a live host filesystem; the rest must be equal. */
function stable(item: PlainItem): PlainItem {
  const { space_used: _used, space_left: _left, ...rest } = item;
  return rest;
}
const sorted = (items: PlainItem[]) =>
  [...items].map(stable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function collectOurs(root: string, c: Case) {
  const probe = SYSTEM_PROBES.find((p) => p.family === c.oscap.family && p.objectType === c.oscap.type);
  if (!probe) throw new Error(`no probe ${c.oscap.type}`);
  const collection = await probe.collect(
    object(c.oscap.family, c.oscap.type, c.entities),
    contextFor(await openRootDirTransport(root)),
  );
  const flag =
    collection.flag === 'complete' && collection.items.length === 0 ? 'does not exist' : collection.flag;
  return { flag, messages: collection.messages, items: collection.items.map(plain) };
}

describe('system probes on an offline root', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTree(TREE);
  });
  afterAll(async () => removeTree(root));

  it.each(CASES)('$name', async (c) => {
    const ours = await collectOurs(root, c);
    expect(ours.flag).toBe(c.flag);
    expect(ours.items).toHaveLength(c.count);
    if (c.oscap.type === 'environmentvariable58_object') expect(ours.messages).toEqual([PID_NOT_FOUND]);
  });

  it('partition items: listed options, statvfs extras of the host mount, sizes of the root filesystem', async () => {
    const ours = await collectOurs(root, CASES[0] as Case);
    const item = ours.items[0] ?? {};
    expect(item.mount_point).toEqual(['/boot']);
    expect(item.device).toEqual(['/dev/sda2']);
    expect(item.uuid).toEqual(['(does not exist)']);
    expect(item.mount_options?.slice(0, 3)).toEqual(['rw', 'noatime', 'nosymfollow']);
    expect(Number(item.total_space?.[0])).toBeGreaterThan(0);
    expect(item.block_size).toBeUndefined();
  });
});

const oscap = (await hasOscap()) && existsSync('/usr/bin/oscap-chroot');

describe.skipIf(!oscap || !isRoot)('offline root vs oscap-chroot (read-only bind mount)', () => {
  let root: string;
  let mountPoint: string;
  let mounted = false;
  beforeAll(async () => {
    root = await makeTree(TREE);
    mountPoint = await mkdtemp(join(tmpdir(), 'vouch-ro-synthetic-'));
    await run('mount', ['--bind', root, mountPoint]);
    mounted = true;
    await run('mount', ['-o', 'remount,bind,ro', mountPoint]);
  });
  afterAll(async () => {
    if (mounted) await run('umount', [mountPoint]);
    await rmdir(mountPoint);
    await removeTree(root);
  });

  it('same flags, messages and items', async () => {
    const reference = await oscapCollect(
      CASES.map((c) => c.oscap),
      mountPoint,
    );
    for (const [index, c] of CASES.entries()) {
      if (c.oscapComparable === false) continue;
      // Ours reads the tree itself; oscap-chroot the read-only view of it (same host filesystem).
      const ours = await collectOurs(root, c);
      const theirs = reference[index];
      expect({ name: c.name, flag: ours.flag, messages: ours.messages, items: sorted(ours.items) }).toEqual({
        name: c.name,
        flag: theirs?.flag,
        messages: theirs?.messages,
        items: sorted(theirs?.items ?? []),
      });
    }
  });
});
