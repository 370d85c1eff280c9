import { CheckTester } from '../../testing/check-tester.js';
import pkg from './index.js';

const STATUS = [
  'Package: openssh-server',
  'Status: install ok installed',
  'Architecture: amd64',
  'Version: 1:9.2p1-2+deb12u3',
  '',
  'Package: telnetd',
  'Status: deinstall ok config-files',
  'Version: 0.17-44',
  '',
].join('\n');

new CheckTester().run(pkg, {
  pass: [
    {
      name: 'installed, from the dpkg status file',
      spec: { name: 'openssh-server' },
      files: { '/var/lib/dpkg/status': STATUS },
      evidence: [{ source: 'package', resource: 'openssh-server', found: '1:9.2p1-2+deb12u3' }],
    },
    {
      name: 'config-files only counts as absent',
      spec: { name: 'telnetd', state: 'absent' },
      files: { '/var/lib/dpkg/status': STATUS },
      evidence: [{ resource: 'telnetd', found: 'not installed' }],
    },
    {
      name: 'version with epoch is newer than one without',
      spec: { name: 'openssh-server', version: { op: 'gte', value: '9.9p1-1' } },
      facts: { dpkgStatus: STATUS },
    },
    {
      name: 'a security update revision is newer',
      spec: { name: 'openssh-server', version: { op: 'gt', value: '1:9.2p1-2' } },
      files: { '/var/lib/dpkg/status': STATUS },
    },
    {
      name: 'a release is newer than its ~rc',
      spec: { name: 'sudo', version: { op: 'gt', value: '1.9.13~rc1-1' } },
      facts: { packages: [{ name: 'sudo', version: '1.9.13-1' }] },
    },
    {
      name: 'rpm systems use rpm ordering (a ^ snapshot sorts before the next release)',
      spec: { name: 'openssh-server', version: { op: 'lt', value: '8.7.1-1.el9' } },
      facts: {
        results: {
          packages: {
            status: 'ok',
            value: {
              manager: 'rpm',
              packages: {
                'openssh-server': {
                  name: 'openssh-server',
                  version: '8.7^20230101-1.el9',
                  status: 'installed',
                },
              },
            },
          },
        },
      },
    },
    {
      name: 'all names must be absent',
      spec: { names: ['telnetd', 'inetutils-telnetd'], state: 'absent' },
      facts: { packages: ['bash'] },
      evidence: [{ resource: 'telnetd' }, { resource: 'inetutils-telnetd' }],
    },
  ],
  fail: [
    {
      name: 'not installed',
      spec: { name: 'auditd' },
      facts: { packages: ['bash'] },
      evidence: [{ source: 'package', resource: 'auditd', expected: 'installed', found: 'not installed' }],
      message: /auditd is not installed/,
    },
    {
      name: 'installed but must be absent',
      spec: { names: ['telnetd', 'nis'], state: 'absent' },
      facts: { packages: [{ name: 'nis', version: '4.4' }] },
      evidence: [{ resource: 'nis', expected: 'not installed', found: '4.4' }],
    },
    {
      name: '~ sorts before the release: an rc is older',
      spec: { name: 'openssh-server', version: { op: 'gte', value: '1:9.6p1-1' } },
      facts: { packages: [{ name: 'openssh-server', version: '1:9.6p1~rc1-1' }] },
      evidence: [
        { resource: 'openssh-server', expected: 'installed, version >= 1:9.6p1-1', found: '1:9.6p1~rc1-1' },
      ],
    },
    {
      name: 'numeric, not lexical, comparison',
      spec: { name: 'libc6', version: { op: 'gte', value: '2.36-10' } },
      facts: { packages: [{ name: 'libc6', version: '2.36-9' }] },
      evidence: [{ resource: 'libc6', found: '2.36-9' }],
    },
  ],
  notchecked: [
    {
      name: 'no package database',
      spec: { name: 'auditd' },
      message: /No package database/,
    },
  ],
  error: [
    {
      name: 'package database unreadable',
      spec: { name: 'auditd' },
      facts: { results: { packages: { status: 'error', message: 'dpkg status is corrupt' } } },
      message: /corrupt/,
    },
  ],
  invalidSpec: [
    { name: 'both name and names', spec: { name: 'a', names: ['b'] }, field: 'name' },
    { name: 'neither', spec: { state: 'absent' }, field: 'name' },
    {
      name: 'version with absent',
      spec: { name: 'a', state: 'absent', version: { value: '1' } },
      field: 'version',
    },
    { name: 'bad op', spec: { name: 'a', version: { op: 'matches', value: '1' } }, field: 'version.op' },
  ],
});
