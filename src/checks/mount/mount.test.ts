import { describe, expect, it } from 'vitest';
import { CheckTester } from '../../testing/check-tester.js';
import mount, { mountUnitName } from './index.js';

const TMP_MOUNT =
  '[Unit]\nDescription=Temporary Directory /tmp\n[Mount]\nWhat=tmpfs\nWhere=/tmp\nType=tmpfs\nOptions=mode=1777,strictatime,nosuid,nodev,size=50%\n';
const TMP_UNIT = '/usr/lib/systemd/system/tmp.mount';
const TMP_WANTS = { link: '../tmp.mount' };

describe('mountUnitName', () => {
  it.each([
    ['/', '-.mount'],
    ['/tmp', 'tmp.mount'],
    ['/var/log/audit/', 'var-log-audit.mount'],
    ['/srv/my-data', 'srv-my\\x2ddata.mount'],
  ])('%s -> %s', (path, unit) => expect(mountUnitName(path)).toBe(unit));
});

const FSTAB = [
  '# <file system> <mount point> <type> <options> <dump> <pass>',
  'UUID=1 / ext4 errors=remount-ro 0 1',
  'tmpfs /tmp tmpfs defaults,nodev,nosuid,noexec 0 0',
  '/dev/sdb1 /var/log/ ext4 nodev 0 2',
  '/dev/sdc1 /srv/my\\040data ext4 nodev 0 2',
].join('\n');

new CheckTester().run(mount, {
  pass: [
    {
      name: 'fstab entry with all options (offline)',
      spec: { mountPoint: '/tmp', options: ['nodev', 'nosuid', 'noexec'] },
      files: { '/etc/fstab': FSTAB },
      evidence: [{ source: 'file', resource: '/etc/fstab', line: 3, found: 'defaults,nodev,nosuid,noexec' }],
      message: /live mounts not checked/,
    },
    {
      name: 'trailing slash in fstab is the same mount point',
      spec: { mountPoint: '/var/log', options: ['nodev'] },
      files: { '/etc/fstab': FSTAB },
      evidence: [{ line: 4 }],
    },
    {
      name: 'octal-escaped space in the mount point',
      spec: { mountPoint: '/srv/my data', options: ['nodev'] },
      files: { '/etc/fstab': FSTAB },
    },
    {
      name: 'live: mounted by a systemd unit without an fstab line',
      spec: { mountPoint: '/tmp', options: ['nosuid'] },
      targetKind: 'local',
      files: { '/etc/fstab': 'UUID=1 / ext4 defaults 0 1\n' },
      facts: {
        mounts: [
          { device: 'tmpfs', mountPoint: '/tmp', fsType: 'tmpfs', options: ['rw', 'nosuid', 'nodev'] },
        ],
      },
      evidence: [{ source: 'mount', resource: '/tmp', found: 'rw,nosuid,nodev' }],
    },
    {
      name: 'live: mounted per /proc/mounts and fstab',
      spec: { mountPoint: '/tmp', options: ['nodev'] },
      targetKind: 'local',
      files: { '/etc/fstab': FSTAB, '/proc/mounts': 'tmpfs /tmp tmpfs rw,nodev,nosuid,noexec 0 0\n' },
      evidence: [
        { source: 'file', line: 3 },
        { source: 'mount', resource: '/tmp' },
      ],
    },
    {
      name: 'offline: an enabled systemd tmp.mount counts without an fstab line',
      spec: { mountPoint: '/tmp', options: ['nodev', 'nosuid'] },
      files: {
        '/etc/fstab': 'UUID=1 / ext4 defaults 0 1\n',
        [TMP_UNIT]: TMP_MOUNT,
        '/etc/systemd/system/local-fs.target.wants/tmp.mount': TMP_WANTS,
      },
      evidence: [
        { source: 'file', resource: TMP_UNIT, line: 7, found: 'mode=1777,strictatime,nosuid,nodev,size=50%' },
      ],
      message: /tmp.mount/,
    },
    {
      name: 'separate filesystem required, no options',
      spec: { mountPoint: '/var/log' },
      files: { '/etc/fstab': FSTAB },
    },
  ],
  fail: [
    {
      name: 'not a separate filesystem',
      spec: { mountPoint: '/home', options: ['nodev'] },
      files: { '/etc/fstab': FSTAB },
      evidence: [
        { source: 'mount', resource: '/home', expected: 'a separate filesystem', found: 'not in /etc/fstab' },
      ],
    },
    {
      name: 'fstab line lacks an option',
      spec: { mountPoint: '/var/log', options: ['nodev', 'noexec', 'nosuid'] },
      files: { '/etc/fstab': FSTAB },
      evidence: [
        {
          source: 'file',
          resource: '/etc/fstab',
          line: 4,
          found: 'nodev',
          detail: 'missing noexec,nosuid: /dev/sdb1 /var/log/ ext4 nodev 0 2',
        },
      ],
      message: /lacks noexec,nosuid in \/etc\/fstab:4/,
    },
    {
      name: 'tmp.mount lacks noexec',
      spec: { mountPoint: '/tmp', options: ['noexec'] },
      files: { [TMP_UNIT]: TMP_MOUNT, '/usr/lib/systemd/system/local-fs.target.wants/tmp.mount': TMP_WANTS },
      evidence: [
        {
          source: 'file',
          resource: TMP_UNIT,
          line: 7,
          detail: 'missing noexec: Options=mode=1777,strictatime,nosuid,nodev,size=50%',
        },
      ],
      message: /lacks noexec in \/usr\/lib\/systemd\/system\/tmp.mount:7/,
    },
    {
      name: 'tmp.mount installed but not enabled',
      spec: { mountPoint: '/tmp' },
      files: { [TMP_UNIT]: TMP_MOUNT },
      evidence: [{ source: 'mount', resource: '/tmp', found: 'not in /etc/fstab, tmp.mount not enabled' }],
    },
    {
      name: 'a masked tmp.mount does not count',
      spec: { mountPoint: '/tmp' },
      files: {
        [TMP_UNIT]: TMP_MOUNT,
        '/usr/lib/systemd/system/local-fs.target.wants/tmp.mount': TMP_WANTS,
        '/etc/systemd/system/tmp.mount': { link: '/dev/null' },
      },
      evidence: [{ resource: '/tmp' }],
    },
    {
      name: 'the last fstab line for a mount point is in force',
      spec: { mountPoint: '/tmp', options: ['noexec'] },
      files: { '/etc/fstab': `${FSTAB}\ntmpfs /tmp tmpfs defaults 0 0\n` },
      evidence: [{ line: 6 }],
    },
    {
      name: 'live: mounted without the option even though fstab has it',
      spec: { mountPoint: '/tmp', options: ['noexec'] },
      targetKind: 'local',
      files: { '/etc/fstab': FSTAB },
      facts: {
        mounts: [{ device: 'tmpfs', mountPoint: '/tmp', fsType: 'tmpfs', options: ['rw', 'nosuid'] }],
      },
      evidence: [{ source: 'mount', resource: '/tmp', found: 'rw,nosuid' }],
    },
    {
      name: 'live: in fstab but not mounted',
      spec: { mountPoint: '/var/log' },
      targetKind: 'local',
      files: { '/etc/fstab': FSTAB },
      evidence: [{ source: 'mount', resource: '/var/log', found: 'not mounted' }],
    },
  ],
  notapplicable: [
    {
      name: 'optional separate filesystem absent',
      spec: { mountPoint: '/dev/shm', required: false, options: ['noexec'] },
      files: { '/etc/fstab': FSTAB },
      evidence: [{ resource: '/dev/shm' }],
    },
    {
      name: 'no fstab at all on a container root',
      spec: { mountPoint: '/tmp', required: false },
      evidence: [{ resource: '/tmp', found: 'not in /etc/fstab' }],
    },
  ],
  error: [
    {
      name: 'mounts unreadable on a live host',
      spec: { mountPoint: '/tmp' },
      targetKind: 'local',
      files: { '/etc/fstab': FSTAB },
      facts: { results: { mounts: { status: 'error', message: '/proc/mounts: EIO' } } },
      message: /EIO/,
    },
  ],
  notchecked: [
    {
      name: 'fstab not collected',
      spec: { mountPoint: '/tmp' },
      facts: { results: { 'file-text': { status: 'unavailable', reason: 'excluded by policy.' } } },
      message: /excluded by policy\.$/,
    },
  ],
  invalidSpec: [
    { name: 'options as a string', spec: { mountPoint: '/tmp', options: 'nodev,nosuid' }, field: 'options' },
    { name: 'relative mount point', spec: { mountPoint: 'tmp' }, field: 'mountPoint' },
  ],
});
