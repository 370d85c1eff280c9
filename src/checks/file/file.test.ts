import { CheckTester } from '../../testing/check-tester.js';
import fileCheck from './index.js';

const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n';
const GROUP = 'root:x:0:\nshadow:x:42:\nalice:x:1000:\n';

new CheckTester().run(fileCheck, {
  pass: [
    {
      name: 'mode more restrictive than required',
      spec: { path: '/etc/shadow', mode: '0640', owner: 'root', group: ['root', 'shadow'] },
      files: {
        '/etc/shadow': { text: '', mode: '0600', gid: 42 },
        '/etc/passwd': PASSWD,
        '/etc/group': GROUP,
      },
      evidence: [
        {
          source: 'file',
          resource: '/etc/shadow',
          found: 'type file, mode 0600, owner root (0), group shadow (42)',
        },
      ],
    },
    {
      name: 'exact mode',
      spec: { path: '/etc/crontab', mode: '0600', modeExact: true, owner: 0 },
      files: { '/etc/crontab': { text: '', mode: 0o600 } },
    },
    {
      name: 'numeric owner as a string needs no passwd',
      spec: { path: '/etc/issue', owner: '0', group: 0 },
      files: { '/etc/issue': 'hello' },
    },
    {
      name: 'root resolves to 0 without account files (minimal image)',
      spec: { path: '/etc/shadow', owner: 'root', group: 'root' },
      files: { '/etc/shadow': '' },
    },
    {
      name: 'path must not exist and does not',
      spec: { path: '/etc/hosts.equiv', exists: false },
      evidence: [{ resource: '/etc/hosts.equiv', found: 'absent' }],
    },
    {
      name: 'directory type',
      spec: { path: '/etc/cron.d', fileType: 'dir', mode: '0700' },
      files: { '/etc/cron.d': { type: 'dir', mode: '0700' } },
    },
    {
      name: 'follow a symlink to the target',
      spec: { path: '/etc/mtab', follow: true, fileType: 'file', mode: '0644' },
      files: { '/etc/mtab': { link: '../proc/self/mounts' }, '/proc/self/mounts': '' },
    },
    {
      name: 'symlink without follow',
      spec: { path: '/etc/mtab', fileType: 'symlink' },
      files: { '/etc/mtab': { link: '../proc/self/mounts' } },
    },
    {
      name: 'the permission bits of an unfollowed symlink are ignored',
      spec: { path: '/etc/localtime', mode: '0644', owner: 0 },
      files: { '/etc/localtime': { link: '/usr/share/zoneinfo/Etc/UTC' } },
    },
    {
      name: 'missing accepted',
      spec: { path: '/etc/at.allow', mode: '0640', missing: 'pass' },
      evidence: [{ resource: '/etc/at.allow', found: 'missing' }],
    },
  ],
  fail: [
    {
      name: 'group-writable is more permissive than 0640',
      spec: { path: '/etc/shadow', mode: '0640' },
      files: { '/etc/shadow': { text: '', mode: '0660' } },
      evidence: [
        {
          source: 'file',
          resource: '/etc/shadow',
          expected: 'mode 0640 or more restrictive',
          found: 'mode 0660',
          detail: 'bits 0020 are not allowed',
        },
      ],
      message: /\/etc\/shadow has the wrong mode/,
    },
    {
      name: 'setuid bit is not allowed by 0755',
      spec: { path: '/usr/bin/tool', mode: '0755' },
      files: { '/usr/bin/tool': { text: '', mode: '4755' } },
      evidence: [{ found: 'mode 4755', detail: 'bits 4000 are not allowed' }],
    },
    {
      name: 'more restrictive fails an exact mode',
      spec: { path: '/etc/crontab', mode: '0644', modeExact: true },
      files: { '/etc/crontab': { text: '', mode: '0600' } },
      evidence: [{ expected: 'mode 0644', found: 'mode 0600' }],
    },
    {
      name: 'wrong owner and group are both reported',
      spec: { path: '/etc/shadow', owner: 'root', group: ['root', 'shadow'] },
      files: {
        '/etc/shadow': { text: '', uid: 1000, gid: 1000 },
        '/etc/passwd': PASSWD,
        '/etc/group': GROUP,
      },
      evidence: [
        { resource: '/etc/shadow', expected: 'owner root', found: 'owner alice (1000)' },
        { resource: '/etc/shadow', expected: 'group root or shadow', found: 'group alice (1000)' },
      ],
    },
    {
      name: 'missing file fails by default',
      spec: { path: '/etc/shadow', mode: '0640' },
      evidence: [{ resource: '/etc/shadow', expected: 'exists', found: 'missing' }],
      message: /does not exist/,
    },
    {
      name: 'path that must not exist exists',
      spec: { path: '/etc/hosts.equiv', exists: false },
      files: { '/etc/hosts.equiv': '+' },
      evidence: [{ resource: '/etc/hosts.equiv', expected: 'absent', found: 'file exists' }],
    },
    {
      name: 'a symlink is not a regular file when not followed',
      spec: { path: '/etc/mtab', fileType: 'file' },
      files: { '/etc/mtab': { link: '/proc/self/mounts' }, '/proc/self/mounts': '' },
      evidence: [{ expected: 'type file', found: 'type symlink' }],
    },
    {
      name: 'unknown owner name matches nothing',
      spec: { path: '/etc/x', owner: 'nobody-here' },
      files: { '/etc/x': '', '/etc/passwd': PASSWD },
      evidence: [{ expected: 'owner nobody-here', found: 'owner root (0)' }],
    },
  ],
  notapplicable: [
    {
      name: 'missing is notapplicable when asked',
      spec: { path: '/etc/cron.allow', mode: '0640', missing: 'notapplicable' },
      evidence: [{ resource: '/etc/cron.allow', found: 'missing' }],
    },
  ],
  error: [
    {
      name: 'stat failed',
      spec: { path: '/etc/shadow', mode: '0640' },
      facts: { results: { stat: { status: 'error', message: 'permission denied' } } },
      message: /permission denied/,
    },
    {
      name: 'passwd needed for owner names cannot be read',
      spec: { path: '/etc/shadow', owner: 'root' },
      files: { '/etc/shadow': '' },
      facts: { results: { passwd: { status: 'error', message: 'EACCES reading /etc/passwd' } } },
      message: /EACCES/,
    },
  ],
  notchecked: [
    {
      name: 'stat unavailable',
      spec: { path: '/etc/shadow' },
      facts: { results: { stat: { status: 'unavailable', reason: 'agent has no access' } } },
      message: /agent has no access/,
    },
  ],
  invalidSpec: [
    { name: 'unknown field', spec: { path: '/etc/x', permissions: '0644' }, field: 'permissions' },
    { name: 'relative path', spec: { path: 'etc/x' }, field: 'path' },
    { name: 'mode not octal', spec: { path: '/etc/x', mode: '0989' }, field: 'mode' },
    { name: 'bad missing', spec: { path: '/etc/x', missing: 'skip' }, field: 'missing' },
  ],
});
