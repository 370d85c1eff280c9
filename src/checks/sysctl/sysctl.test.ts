import { describe, expect, it } from 'vitest';
import { CheckTester } from '../../testing/check-tester.js';
import sysctl, { globMatches } from './index.js';

describe('globMatches', () => {
  it.each([
    ['net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.all.rp_filter', true],
    ['net.ipv4.conf.*.rp_filter', 'net.ipv4.conf.eth0/100.rp_filter', true],
    ['net.ipv4.conf.eth?.rp_filter', 'net.ipv4.conf.eth1.rp_filter', true],
    ['net.ipv4.conf.[!a]*.rp_filter', 'net.ipv4.conf.all.rp_filter', false],
    ['net.ipv4.conf.*.rp_filter', 'net.ipv4Xconf.all.rp_filter', false],
  ])('%s ~ %s = %s', (pattern, key, expected) => expect(globMatches(pattern, key)).toBe(expected));
});

const KEY = 'net.ipv4.ip_forward';

new CheckTester().run(sysctl, {
  pass: [
    {
      name: 'offline: configured value only, noted in the message',
      spec: { key: KEY, value: 0 },
      files: { '/etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' },
      evidence: [{ source: 'file', resource: '/etc/sysctl.d/60-net.conf', line: 1, found: '0' }],
      message: /runtime value not checked on an offline target/,
    },
    {
      name: '/etc/sysctl.d hides the same base name in /usr/lib/sysctl.d',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/usr/lib/sysctl.d/50-default.conf': 'net.ipv4.ip_forward = 1\n',
        '/etc/sysctl.d/50-default.conf': 'net.ipv4.ip_forward = 0\n',
      },
      evidence: [{ resource: '/etc/sysctl.d/50-default.conf', found: '0' }],
    },
    {
      name: 'files apply in base-name order across directories (later name wins)',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/10-early.conf': 'net.ipv4.ip_forward = 1\n',
        '/usr/lib/sysctl.d/90-late.conf': 'net.ipv4.ip_forward = 0\n',
      },
      evidence: [{ resource: '/usr/lib/sysctl.d/90-late.conf' }],
    },
    {
      name: '/etc/sysctl.conf is applied last',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/99-zzz.conf': 'net.ipv4.ip_forward = 1\n',
        '/etc/sysctl.conf': '# main\nnet.ipv4.ip_forward=0\n',
      },
      evidence: [{ resource: '/etc/sysctl.conf', line: 2 }],
    },
    {
      name: 'a /dev/null link in /etc masks the vendor file of the same name',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/60-ok.conf': 'net.ipv4.ip_forward = 0\n',
        '/usr/lib/sysctl.d/90-vendor.conf': 'net.ipv4.ip_forward = 1\n',
        '/etc/sysctl.d/90-vendor.conf': { link: '/dev/null' },
      },
      evidence: [{ resource: '/etc/sysctl.d/60-ok.conf', found: '0' }],
    },
    {
      name: 'an explicit key wins over a later glob (systemd-sysctl)',
      spec: { key: 'net.ipv4.conf.all.rp_filter', value: 1, source: 'config' },
      files: {
        '/usr/lib/sysctl.d/50-default.conf':
          'net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n',
        '/etc/sysctl.d/60-cis.conf': 'net.ipv4.conf.all.rp_filter = 1\n',
        '/etc/sysctl.d/99-late.conf': 'net.ipv4.conf.*.rp_filter = 0\n',
      },
      evidence: [{ resource: '/etc/sysctl.d/60-cis.conf', line: 1, found: '1' }],
    },
    {
      name: 'slash-separated keys and "-" prefix are the same parameter',
      spec: { key: 'net/ipv4/ip_forward', value: 0, source: 'config' },
      files: { '/etc/sysctl.d/a.conf': '-net/ipv4/ip_forward = 0\n' },
    },
    {
      name: 'live: configured and runtime agree',
      spec: { key: KEY, value: 0 },
      targetKind: 'local',
      files: { '/etc/sysctl.d/a.conf': 'net.ipv4.ip_forward = 0\n' },
      facts: { sysctl: { [KEY]: '0' } },
      evidence: [
        { source: 'sysctl', resource: KEY, found: '0', detail: 'runtime value' },
        { source: 'file', resource: '/etc/sysctl.d/a.conf' },
      ],
    },
    {
      name: 'runtime only, multi-value normalised',
      spec: { key: 'net.ipv4.tcp_rmem', value: '4096 131072 6291456', source: 'runtime' },
      targetKind: 'local',
      facts: { sysctl: { 'net.ipv4.tcp_rmem': '4096\t131072\t6291456' } },
    },
    {
      name: 'numeric operator',
      spec: { key: 'kernel.randomize_va_space', op: 'gte', value: 2, source: 'config' },
      files: { '/run/sysctl.d/x.conf': 'kernel.randomize_va_space = 2\n' },
    },
  ],
  fail: [
    {
      name: 'not configured anywhere',
      spec: { key: KEY, value: 0 },
      files: { '/etc/sysctl.conf': '# nothing\n' },
      evidence: [{ source: 'sysctl', resource: KEY, found: 'not set' }],
      message: /not configured/,
    },
    {
      name: '/etc/sysctl.conf overrides a correct drop-in',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n',
        '/etc/sysctl.conf': 'net.ipv4.ip_forward = 1\n',
      },
      evidence: [
        {
          source: 'file',
          resource: '/etc/sysctl.conf',
          line: 1,
          found: '1',
          detail: 'net.ipv4.ip_forward = 1',
        },
      ],
    },
    {
      name: 'without the mask the later vendor file wins',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/60-ok.conf': 'net.ipv4.ip_forward = 0\n',
        '/usr/lib/sysctl.d/90-vendor.conf': 'net.ipv4.ip_forward = 1\n',
      },
      evidence: [{ resource: '/usr/lib/sysctl.d/90-vendor.conf', line: 1, found: '1' }],
    },
    {
      name: 'a glob assignment applies when the key is not set explicitly',
      spec: { key: 'net.ipv4.conf.all.rp_filter', value: 1, source: 'config' },
      files: {
        '/usr/lib/sysctl.d/50-default.conf':
          'net.ipv4.conf.default.rp_filter = 2\n-net.ipv4.conf.*.rp_filter = 2\n',
      },
      evidence: [
        {
          source: 'file',
          resource: '/usr/lib/sysctl.d/50-default.conf',
          line: 2,
          found: '2',
          detail: '-net.ipv4.conf.*.rp_filter = 2',
        },
      ],
    },
    {
      name: 'a vendor file hidden by /etc does not rescue it',
      spec: { key: KEY, value: 0, source: 'config' },
      files: {
        '/etc/sysctl.d/50-x.conf': 'net.ipv4.ip_forward = 1\n',
        '/lib/sysctl.d/50-x.conf': 'net.ipv4.ip_forward = 0\n',
      },
      evidence: [{ resource: '/etc/sysctl.d/50-x.conf', found: '1' }],
    },
    {
      name: 'live: runtime differs from configuration',
      spec: { key: KEY, value: 0 },
      targetKind: 'local',
      files: { '/etc/sysctl.d/a.conf': 'net.ipv4.ip_forward = 0\n' },
      facts: { sysctl: { [KEY]: '1' } },
      evidence: [{ source: 'sysctl', resource: KEY, found: '1', detail: 'runtime value' }],
      message: /1 at runtime/,
    },
    {
      name: 'live: key absent from the kernel',
      spec: { key: 'net.ipv6.conf.all.forwarding', value: 0, source: 'runtime' },
      targetKind: 'local',
      evidence: [{ resource: 'net.ipv6.conf.all.forwarding', found: 'not present in the kernel' }],
    },
  ],
  notchecked: [
    {
      name: 'runtime only on an offline root',
      spec: { key: KEY, value: 0, source: 'runtime' },
      message: /offline root/,
    },
  ],
  error: [
    {
      name: 'drop-in directories unreadable',
      spec: { key: KEY, value: 0 },
      facts: { results: { 'file-glob': { status: 'error', message: 'EACCES' } } },
      message: /EACCES/,
    },
  ],
  invalidSpec: [
    { name: 'unknown source', spec: { key: KEY, value: 0, source: 'proc' }, field: 'source' },
    { name: 'bad key', spec: { key: 'net ipv4', value: 0 }, field: 'key' },
    { name: 'extra field', spec: { key: KEY, value: 0, files: [] }, field: 'files' },
  ],
});
