/**
 * Differential test on the Debian 12 fixture roots: SSG-shaped filesystem objects evaluated by
 * oscap-chroot (through a read-only bind mount, so nothing can be written into the fixture) and by
 * the probes on the same mount. Needs root (mount), oscap and VOUCH_FIXTURES; each variant is
 * skipped when absent.
 *
 * The fixture has absolute symlinks (/etc/localtime); oscap-chroot resolves those on the host, so
 * the objects here avoid following them (file items are lstat, which agrees either way).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openRootDirTransport } from '../../../../src/targets/root-dir.js';
import { isRoot } from '../../../../src/targets/temp-tree.js';
import { type OscapObjectResult, oscapCollect } from '../system/helpers.js';
import { type Case, expectSameAsOscap, fileCase, hasOscap, INSTANCE_ANY, textCase } from './cases.js';

const run = promisify(execFile);
const FIXTURES = process.env.VOUCH_FIXTURES ?? '/work/main/fixtures/build/rootfs';
const PM = 'pattern match';
const DOWN_ALL = {
  recurse: 'directories',
  recurse_direction: 'down',
  max_depth: '-1',
  recurse_file_system: 'local',
};

const CASES: Case[] = [
  // The shape of file_permissions_unauthorized_world_writable / no_files_unowned_by_user, rooted
  // at /etc: oscap's cost is quadratic in collected items without filters, so not at `/`.
  fileCase('recursive walk of /etc, every file', DOWN_ALL, {
    path: { value: '/etc' },
    filename: { value: '^.*$', operation: PM },
  }),
  // dir_perms_world_writable_sticky_bits: every directory (of /var).
  fileCase('recursive walk of /var, directories', DOWN_ALL, {
    path: { value: '/var' },
    filename: { nil: true },
  }),
  fileCase('filepath equals', {}, { filepath: { value: '/etc/passwd' } }),
  fileCase('filepath missing', {}, { filepath: { value: '/etc/security/opasswd' } }),
  fileCase('directory itself', {}, { path: { value: '/etc/cron.d' }, filename: { nil: true } }),
  fileCase(
    'cron path pattern (unanchored)',
    {},
    {
      path: { value: '/etc/cron\\.(daily|hourly|weekly|monthly)', operation: PM },
      filename: { value: '.*', operation: PM },
    },
  ),
  fileCase(
    'max_depth 1 from /etc',
    { recurse: 'directories', recurse_direction: 'down', max_depth: '1', recurse_file_system: 'all' },
    { path: { value: '/etc' }, filename: { value: '^.*\\.conf$', operation: PM } },
  ),
  fileCase(
    'log files',
    { recurse: 'directories', recurse_direction: 'down', max_depth: '-1' },
    { path: { value: '/var/log' }, filename: { value: '.*', operation: PM } },
  ),
  textCase(
    'login.defs PASS_MAX_DAYS',
    {},
    { filepath: { value: '/etc/login.defs' } },
    '^[\\s]*PASS_MAX_DAYS[\\s]+(\\d+)\\s*$',
  ),
  textCase(
    'audit rules pattern',
    {},
    { filepath: { value: '^/etc/audit/rules\\.d/.*\\.rules$', operation: PM } },
    '^\\-w.*$',
  ),
  textCase(
    'sudoers pattern',
    {},
    { filepath: { value: '^/etc/sudoers(|\\.d/.*)$', operation: PM } },
    '^[\\s]*Defaults[\\s]+(.*)$',
  ),
  textCase(
    'sysctl.d',
    {},
    { path: { value: '/etc/sysctl.d' }, filename: { value: '^.*\\.conf$', operation: PM } },
    '^[\\s]*kernel\\.\\S+[\\s]*=[\\s]*(\\S+)[\\s]*$',
  ),
  textCase(
    'sshd_config scoped (?i)',
    {},
    { filepath: { value: '/etc/ssh/sshd_config' } },
    '^[\\s]*(?i)PermitRootLogin(?-i)[\\s]+(\\S+)[\\s]*(?:|(?:#.*))?$',
  ),
  textCase('passwd, instance equals 1', {}, { filepath: { value: '/etc/passwd' } }, '^root:([^:]*):', {
    value: '1',
    datatype: 'int',
  }),
  textCase('grub.cfg', {}, { filepath: { value: '/boot/grub/grub.cfg' } }, '^.*linux.*$', INSTANCE_ANY),
];

for (const variant of ['base', 'hardened']) {
  const source = join(FIXTURES, variant);
  describe.skipIf(!hasOscap || !isRoot || !existsSync(join(source, 'etc/passwd')))(
    `filesystem probes vs oscap-chroot (${variant} fixture)`,
    () => {
      let mountPoint: string;
      let mounted = false;
      let oscap: OscapObjectResult[];
      beforeAll(async () => {
        mountPoint = await mkdtemp(join(tmpdir(), `vouch-ro-fs-${variant}-`));
        await run('mount', ['--bind', source, mountPoint]);
        mounted = true;
        await run('mount', ['-o', 'remount,bind,ro', mountPoint]);
        oscap = await oscapCollect(
          CASES.map((c) => ({ family: c.family, type: c.type, xml: c.xml })),
          mountPoint,
        );
      }, 300_000);
      afterAll(async () => {
        if (mounted) await run('umount', [mountPoint]);
        await rmdir(mountPoint);
      });

      it.each(CASES.map((c, i) => [c.name, i] as const))('%s', async (_name, index) => {
        await expectSameAsOscap(CASES, index, await openRootDirTransport(mountPoint), oscap);
      });
    },
  );
}
