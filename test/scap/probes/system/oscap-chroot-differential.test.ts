/**
 * Offline differential: the probes through the root-dir transport and `oscap-chroot ROOT oval eval`
 * on the Debian 12 fixture roots. oscap-chroot is scanned through a read-only bind mount (its APT
 * cache bug writes into a writable root, see the fixture notes); the fixture trees are never written.
 * Needs root (mount), oscap-chroot and VOUCH_FIXTURES; each variant is skipped when absent.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_PROBES } from '../../../../src/scap/probes/system/index.js';
import { openRootDirTransport } from '../../../../src/targets/index.js';
import { isRoot } from '../../../../src/targets/temp-tree.js';
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
const FIXTURES = process.env.VOUCH_FIXTURES ?? '/work/main/fixtures/build/rootfs';
const oscap = (await hasOscap()) && existsSync('/usr/bin/oscap-chroot');

type Entities = Parameters<typeof object>[2];
const CASES: [OscapObject, Entities][] = [
  [
    { family: 'linux', type: 'dpkginfo_object', xml: '<linux:name>openssh-server</linux:name>' },
    { name: { value: 'openssh-server' } },
  ],
  [
    { family: 'linux', type: 'dpkginfo_object', xml: '<linux:name>auditd</linux:name>' },
    { name: { value: 'auditd' } },
  ],
  [
    { family: 'linux', type: 'dpkginfo_object', xml: '<linux:name>libc6</linux:name>' },
    { name: { value: 'libc6' } },
  ],
  [
    { family: 'linux', type: 'dpkginfo_object', xml: '<linux:name>telnet</linux:name>' },
    { name: { value: 'telnet' } },
  ],
  [
    { family: 'linux', type: 'rpminfo_object', xml: '<linux:name>bash</linux:name>' },
    { name: { value: 'bash' } },
  ],
  [
    {
      family: 'unix',
      type: 'password_object',
      xml: '<unix:username operation="pattern match">.*</unix:username>',
    },
    { username: { value: '.*', operation: 'pattern match' } },
  ],
  [
    { family: 'unix', type: 'shadow_object', xml: '<unix:username>root</unix:username>' },
    { username: { value: 'root' } },
  ],
  [
    { family: 'unix', type: 'sysctl_object', xml: '<unix:name>kernel.randomize_va_space</unix:name>' },
    { name: { value: 'kernel.randomize_va_space' } },
  ],
  [{ family: 'unix', type: 'uname_object', xml: '' }, {}],
  [
    { family: 'unix', type: 'interface_object', xml: '<unix:name operation="pattern match">.*</unix:name>' },
    { name: { value: '.*', operation: 'pattern match' } },
  ],
  [
    { family: 'linux', type: 'partition_object', xml: '<linux:mount_point>/</linux:mount_point>' },
    { mount_point: { value: '/' } },
  ],
  [{ family: 'ind', type: 'family_object', xml: '' }, {}],
  [
    {
      family: 'ind',
      type: 'environmentvariable58_object',
      xml: '<ind:pid xsi:nil="true" datatype="int"/><ind:name>PATH</ind:name>',
    },
    { pid: { nil: true, datatype: 'int' }, name: { value: 'PATH' } },
  ],
  [
    {
      family: 'linux',
      type: 'systemdunitproperty_object',
      xml: '<linux:unit operation="pattern match">^ssh\\.service$</linux:unit><linux:property>ActiveState</linux:property>',
    },
    { unit: { value: '^ssh\\.service$', operation: 'pattern match' }, property: { value: 'ActiveState' } },
  ],
  [
    {
      family: 'linux',
      type: 'systemdunitdependency_object',
      xml: '<linux:unit>multi-user.target</linux:unit>',
    },
    { unit: { value: 'multi-user.target' } },
  ],
];

const sortItems = (items: PlainItem[]) =>
  [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

for (const variant of ['base', 'hardened']) {
  const source = join(FIXTURES, variant);
  describe.skipIf(!oscap || !isRoot || !existsSync(join(source, 'etc/passwd')))(
    `system probes vs oscap-chroot (${variant})`,
    () => {
      let mountPoint: string;
      let mounted = false;
      beforeAll(async () => {
        mountPoint = await mkdtemp(join(tmpdir(), `vouch-ro-${variant}-`));
        await run('mount', ['--bind', source, mountPoint]);
        mounted = true;
        await run('mount', ['-o', 'remount,bind,ro', mountPoint]);
      });
      afterAll(async () => {
        if (mounted) await run('umount', [mountPoint]);
        await rmdir(mountPoint);
      });

      it('same flag, messages and items for every probe', async () => {
        const reference = await oscapCollect(
          CASES.map(([o]) => o),
          mountPoint,
        );
        const ctx = contextFor(await openRootDirTransport(source));
        for (const [index, [o, entities]] of CASES.entries()) {
          const probe = SYSTEM_PROBES.find((p) => p.family === o.family && p.objectType === o.type);
          if (!probe) throw new Error(`no probe for ${o.type}`);
          const mine = await probe.collect(object(o.family, o.type, entities), ctx);
          const flag = mine.flag === 'complete' && mine.items.length === 0 ? 'does not exist' : mine.flag;
          const theirs = reference[index];
          expect({
            type: o.type,
            flag,
            messages: mine.messages,
            items: sortItems(mine.items.map(plain)),
          }).toEqual({
            type: o.type,
            flag: theirs?.flag,
            messages: theirs?.messages,
            items: sortItems(theirs?.items ?? []),
          });
        }
      });
    },
  );
}
