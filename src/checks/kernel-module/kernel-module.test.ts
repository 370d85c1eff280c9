import { CheckTester } from '../../testing/check-tester.js';
import kernelModule from './index.js';

const DISABLED = 'install cramfs /bin/false\nblacklist cramfs\n';

new CheckTester().run(kernelModule, {
  pass: [
    {
      name: 'install /bin/false and blacklist (offline: loaded state not checked)',
      spec: { module: 'cramfs' },
      files: { '/etc/modprobe.d/cramfs.conf': DISABLED },
      evidence: [
        { source: 'file', resource: '/etc/modprobe.d/cramfs.conf', line: 1, found: '/bin/false' },
        { source: 'file', resource: '/etc/modprobe.d/cramfs.conf', line: 2 },
      ],
      message: /not checked on an offline target/,
    },
    {
      name: 'install /bin/true is accepted',
      spec: { module: 'usb-storage', requireBlacklist: false },
      files: { '/etc/modprobe.d/usb.conf': 'install usb-storage /bin/true\n' },
    },
    {
      name: '"-" and "_" are equivalent in module names',
      spec: { module: 'usb_storage' },
      files: { '/etc/modprobe.d/usb.conf': 'install usb-storage /usr/bin/false\nblacklist usb-storage\n' },
    },
    {
      name: 'live: not loaded',
      spec: { module: 'cramfs' },
      targetKind: 'local',
      files: { '/lib/modprobe.d/cramfs.conf': DISABLED },
      facts: { modules: ['ext4', 'xfs'] },
      evidence: [{ line: 1 }, { line: 2 }, { source: 'module', resource: 'cramfs', found: 'not loaded' }],
    },
    {
      name: 'the first install line wins (kmod)',
      spec: { module: 'dccp', requireBlacklist: false },
      files: {
        '/etc/modprobe.d/00-cis.conf': 'install dccp /bin/false\n',
        '/etc/modprobe.d/50-other.conf': 'install dccp /sbin/modprobe --ignore-install dccp\n',
      },
      evidence: [{ resource: '/etc/modprobe.d/00-cis.conf' }],
    },
    {
      name: 'continuation lines are joined',
      spec: { module: 'sctp', requireBlacklist: false },
      files: { '/etc/modprobe.d/sctp.conf': 'install sctp \\\n  /bin/false\n' },
    },
  ],
  fail: [
    {
      name: 'no install line',
      spec: { module: 'cramfs', requireBlacklist: false },
      files: { '/etc/modprobe.d/other.conf': 'blacklist cramfs\n' },
      evidence: [
        {
          source: 'module',
          resource: 'cramfs',
          expected: 'install cramfs /bin/false',
          found: 'no install command',
        },
      ],
    },
    {
      name: 'blacklist missing',
      spec: { module: 'cramfs' },
      files: { '/etc/modprobe.d/cramfs.conf': 'install cramfs /bin/false\n' },
      evidence: [
        { source: 'module', resource: 'cramfs', expected: 'blacklist cramfs', found: 'not blacklisted' },
      ],
    },
    {
      name: 'install runs something else',
      spec: { module: 'freevxfs', requireBlacklist: false },
      files: { '/etc/modprobe.d/x.conf': '# x\ninstall freevxfs /sbin/modprobe --ignore-install freevxfs\n' },
      evidence: [
        {
          source: 'file',
          resource: '/etc/modprobe.d/x.conf',
          line: 2,
          found: '/sbin/modprobe --ignore-install freevxfs',
        },
      ],
    },
    {
      name: 'an /etc file of the same name hides the vendor file that disabled it',
      spec: { module: 'hfs', requireBlacklist: false },
      files: {
        '/usr/lib/modprobe.d/fs.conf': 'install hfs /bin/false\n',
        '/etc/modprobe.d/fs.conf': '# emptied by the admin\n',
      },
      evidence: [{ resource: 'hfs', found: 'no install command' }],
    },
    {
      name: 'live: configured but loaded now',
      spec: { module: 'cramfs' },
      targetKind: 'local',
      files: { '/etc/modprobe.d/cramfs.conf': DISABLED },
      facts: { modules: ['cramfs'] },
      evidence: [{ source: 'module', resource: 'cramfs', found: 'loaded' }],
      message: /is loaded/,
    },
  ],
  error: [
    {
      name: 'loaded modules unreadable',
      spec: { module: 'cramfs' },
      targetKind: 'local',
      files: { '/etc/modprobe.d/cramfs.conf': DISABLED },
      facts: { results: { 'loaded-modules': { status: 'error', message: '/proc/modules: EIO' } } },
      message: /EIO/,
    },
  ],
  notchecked: [
    {
      name: 'modprobe.d not collected',
      spec: { module: 'cramfs' },
      facts: { results: { 'file-glob': { status: 'unavailable', reason: 'the agent does not read /etc' } } },
      message: /Cannot check modprobe.d files: the agent does not read \/etc\.$/,
    },
  ],
  invalidSpec: [{ name: 'bad module name', spec: { module: 'cram fs' }, field: 'module' }],
});
