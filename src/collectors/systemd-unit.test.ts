import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemdUnitValue } from '../core/facts/fact-values.js';
import { openRootDirTransport } from '../targets/root-dir.js';
import { makeTree, removeTree } from '../targets/temp-tree.js';
import { createFactProvider } from './index.js';
import { parseSystemctlShow, templateOf } from './systemd-unit.js';

let dir: string;
const vendor = '/usr/lib/systemd/system';

beforeAll(async () => {
  dir = await makeTree({
    // merged /usr: /lib -> usr/lib, so vendor wants dirs must not be counted twice
    lib: { link: 'usr/lib' },
    [`${vendor}/ssh.service`]: '[Unit]\nDescription=OpenSSH\n',
    [`${vendor}/auditd.service`]: '[Unit]\nDescription=audit\n',
    [`${vendor}/rsync.service`]: '[Unit]\nDescription=rsync\n',
    [`${vendor}/getty@.service`]: '[Unit]\nDescription=getty\n',
    [`${vendor}/systemd-journald.service`]: '[Unit]\n',
    [`${vendor}/sysinit.target.wants/systemd-journald.service`]: { link: '../systemd-journald.service' },
    '/etc/systemd/system/multi-user.target.wants/ssh.service': { link: `${vendor}/ssh.service` },
    '/etc/systemd/system/sockets.target.requires/ssh.service': { link: `${vendor}/ssh.service` },
    '/etc/systemd/system/getty.target.wants/getty@tty1.service': { link: `${vendor}/getty@.service` },
    '/etc/systemd/system/rsync.service': { link: '/dev/null' },
    '/etc/systemd/system/override.service': '[Unit]\nDescription=admin copy\n',
    [`${vendor}/override.service`]: '[Unit]\nDescription=vendor copy\n',
  });
});
afterAll(() => removeTree(dir));

async function unit(name: string): Promise<SystemdUnitValue> {
  const result = await createFactProvider(await openRootDirTransport(dir)).collect({
    kind: 'systemd-unit',
    unit: name,
  });
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  expect(result.volatile).toBeUndefined(); // offline: everything comes from files
  return result.value as SystemdUnitValue;
}

describe('systemd-unit (offline)', () => {
  it.each([
    ['ssh.service', { enabledBy: 2, masked: false, file: `${vendor}/ssh.service` }],
    ['auditd.service', { enabledBy: 0, masked: false, file: `${vendor}/auditd.service` }],
    ['rsync.service', { enabledBy: 0, masked: true, file: `${vendor}/rsync.service` }],
    ['getty@tty1.service', { enabledBy: 1, masked: false, file: `${vendor}/getty@.service` }],
    ['systemd-journald.service', { enabledBy: 1, masked: false, file: `${vendor}/systemd-journald.service` }],
    ['override.service', { enabledBy: 0, masked: false, file: '/etc/systemd/system/override.service' }],
    ['nope.service', { enabledBy: 0, masked: false, file: null }],
  ])('%s', async (name, expected) => {
    const value = await unit(name);
    expect(value.unitFile?.path ?? null).toBe(expected.file);
    expect(value.masked).toBe(expected.masked);
    expect(value.wantedBy.length).toBe(expected.enabledBy);
    expect(value.activeState).toBeUndefined();
  });

  it('names the enabling links', async () => {
    expect((await unit('ssh.service')).wantedBy).toEqual([
      '/etc/systemd/system/multi-user.target.wants/ssh.service',
      '/etc/systemd/system/sockets.target.requires/ssh.service',
    ]);
    expect((await unit('systemd-journald.service')).wantedBy).toEqual([
      `${vendor}/sysinit.target.wants/systemd-journald.service`,
    ]);
  });

  it('rejects unit names that are paths', async () => {
    const result = await createFactProvider(await openRootDirTransport(dir)).collect({
      kind: 'systemd-unit',
      unit: '../../etc/passwd',
    });
    expect(result.status).toBe('error');
  });
});

describe('systemd helpers', () => {
  it.each([
    ['getty@tty1.service', 'getty@.service'],
    ['getty@.service', null],
    ['ssh.service', null],
  ])('templateOf(%s) = %s', (name, template) => {
    expect(templateOf(name)).toBe(template);
  });

  it('parses systemctl show', () => {
    expect(parseSystemctlShow('ActiveState=active\nUnitFileState=enabled\n')).toEqual({
      ActiveState: 'active',
      UnitFileState: 'enabled',
    });
  });
});
