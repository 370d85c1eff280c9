import { CheckTester } from '../../testing/check-tester.js';
import accounts from './index.js';

const PASSWD = [
  'root:x:0:0:root:/root:/bin/bash',
  'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin',
  'sync:x:4:65534:sync:/bin:/bin/sync',
  'sshd:x:110:65534::/run/sshd:/usr/sbin/nologin',
  'alice:x:1000:1000:Alice:/home/alice:/bin/bash',
].join('\n');
const SHADOW = [
  'root:$y$j9T$abc:19700:1:365:7:30::',
  'daemon:*:19700:0:99999:7:::',
  'sync:*:19700:0:99999:7:::',
  'sshd:!:19700::::::',
  'alice:$y$j9T$def:19700:1:90:7:30::',
].join('\n');
const GROUP = ['root:x:0:', 'daemon:x:1:', 'shadow:x:42:', 'nogroup:x:65534:', 'alice:x:1000:'].join('\n');
const FILES = { '/etc/passwd': PASSWD, '/etc/shadow': SHADOW, '/etc/group': GROUP };

new CheckTester().run(accounts, {
  pass: [
    {
      name: 'only root has uid 0',
      spec: { assert: 'unique-uid0' },
      files: FILES,
      evidence: [{ resource: '/etc/passwd' }],
    },
    { name: 'no empty passwords', spec: { assert: 'no-empty-passwords' }, files: FILES },
    { name: 'all shadowed', spec: { assert: 'shadowed-passwords' }, files: FILES },
    {
      name: 'max days within limit (locked accounts ignored)',
      spec: { assert: 'password-max-days', max: 365 },
      files: FILES,
      evidence: [{ resource: '/etc/shadow', found: 'no offending entry' }],
    },
    { name: 'min days', spec: { assert: 'password-min-days' }, files: FILES },
    { name: 'warn days', spec: { assert: 'password-warn-days', min: 7 }, files: FILES },
    { name: 'inactive', spec: { assert: 'password-inactive', max: 30 }, files: FILES },
    {
      name: 'system accounts use nologin (sync allowed its shell)',
      spec: { assert: 'system-accounts-nologin' },
      files: FILES,
    },
    { name: 'unique uids', spec: { assert: 'unique-uids' }, files: FILES },
    { name: 'unique gids', spec: { assert: 'unique-gids' }, files: FILES },
    {
      name: 'account tables given as fact text',
      spec: { assert: 'unique-uids' },
      facts: { passwd: 'root:x:0:0::/root:/bin/sh\nbin:x:2:2::/bin:/usr/sbin/nologin\n' },
    },
    { name: 'unique user names', spec: { assert: 'unique-usernames' }, files: FILES },
    { name: 'unique group names', spec: { assert: 'unique-groupnames' }, files: FILES },
    { name: 'primary groups exist', spec: { assert: 'passwd-groups-exist' }, files: FILES },
    { name: 'root gid 0', spec: { assert: 'root-gid-zero' }, files: FILES },
    { name: 'shadow group empty', spec: { assert: 'shadow-group-empty' }, files: FILES },
    {
      name: 'no shadow file means no password to age (minimal image)',
      spec: { assert: 'password-max-days' },
      files: { '/etc/passwd': PASSWD },
      evidence: [{ resource: '/etc/shadow', found: 'no offending entry' }],
    },
  ],
  fail: [
    {
      name: 'second uid 0 account',
      spec: { assert: 'unique-uid0' },
      files: { ...FILES, '/etc/passwd': `${PASSWD}\ntoor:x:0:0::/root:/bin/sh` },
      evidence: [
        { source: 'account', resource: '/etc/passwd', line: 6, found: 'uid 0', detail: 'account toor' },
      ],
      message: /^toor has uid 0 besides root\.$/,
    },
    {
      name: 'empty shadow password',
      spec: { assert: 'no-empty-passwords' },
      files: { ...FILES, '/etc/shadow': SHADOW.replace('alice:$y$j9T$def', 'alice:') },
      evidence: [{ resource: '/etc/shadow', line: 5, found: 'empty password', detail: 'account alice' }],
      message: /^alice has an empty password\.$/,
    },
    {
      name: 'password hash in passwd',
      spec: { assert: 'shadowed-passwords' },
      files: { ...FILES, '/etc/passwd': PASSWD.replace('alice:x:', 'alice:$1$abc:') },
      evidence: [
        { resource: '/etc/passwd', line: 5, found: 'a password in /etc/passwd', detail: 'account alice' },
      ],
    },
    {
      name: 'max days too long and unset',
      spec: { assert: 'password-max-days', max: 60 },
      files: { ...FILES, '/etc/shadow': SHADOW.replace('19700:1:365:7:30', '19700:1::7:30') },
      evidence: [
        { resource: '/etc/shadow', line: 1, found: 'not set', detail: 'account root' },
        { resource: '/etc/shadow', line: 5, found: '90 days', detail: 'account alice' },
      ],
    },
    {
      name: 'min days zero',
      spec: { assert: 'password-min-days', min: 1 },
      files: {
        ...FILES,
        '/etc/shadow': SHADOW.replace('alice:$y$j9T$def:19700:1', 'alice:$y$j9T$def:19700:0'),
      },
      evidence: [{ line: 5, found: '0 days', detail: 'account alice' }],
    },
    {
      name: 'inactive disabled (-1)',
      spec: { assert: 'password-inactive' },
      files: { ...FILES, '/etc/shadow': SHADOW.replace(':90:7:30::', ':90:7:-1::') },
      // glibc reads an empty field as -1 and -1 as "not set": the collector reports both as not set.
      evidence: [{ line: 5, found: 'not set' }],
    },
    {
      name: 'system account with a shell',
      spec: { assert: 'system-accounts-nologin' },
      files: {
        ...FILES,
        '/etc/passwd': PASSWD.replace('/run/sshd:/usr/sbin/nologin', '/run/sshd:/bin/bash'),
      },
      evidence: [
        {
          source: 'account',
          resource: '/etc/passwd',
          line: 4,
          found: 'shell /bin/bash',
          detail: 'account sshd',
        },
      ],
      message: /^sshd is a system account \(uid < 1000\) with a login shell\.$/,
    },
    {
      name: 'UID_MIN from login.defs decides what a system account is',
      spec: { assert: 'system-accounts-nologin' },
      files: {
        ...FILES,
        '/etc/login.defs': 'UID_MIN 500\nUID_MIN\t1100\n',
        '/etc/passwd': `${PASSWD}\nsvc:x:1050:1050::/srv:/bin/sh`,
      },
      evidence: [
        { line: 5, found: 'shell /bin/bash', detail: 'account alice' },
        { line: 6, found: 'shell /bin/sh', detail: 'account svc' },
      ],
      message: /^alice and svc are system accounts \(uid < 1100\) with a login shell\.$/,
    },
    {
      name: 'duplicate uid names both accounts',
      spec: { assert: 'unique-uids' },
      files: { ...FILES, '/etc/passwd': `${PASSWD}\nbob:x:1000:1000::/home/bob:/bin/bash` },
      evidence: [
        { line: 5, detail: 'account alice', found: 'uid 1000 shared by alice, bob' },
        { line: 6, detail: 'account bob' },
      ],
    },
    {
      name: 'duplicate gid',
      spec: { assert: 'unique-gids' },
      files: { ...FILES, '/etc/group': `${GROUP}\nstaff:x:1000:` },
      evidence: [
        { source: 'group', resource: '/etc/group', line: 5, detail: 'group alice' },
        { source: 'group', line: 6, detail: 'group staff' },
      ],
    },
    {
      name: 'duplicate user name',
      spec: { assert: 'unique-usernames' },
      files: { ...FILES, '/etc/passwd': `${PASSWD}\nalice:x:1001:1000::/home/a2:/bin/bash` },
      evidence: [{ line: 5, found: 'name used on lines 5, 6' }, { line: 6 }],
    },
    {
      name: 'duplicate group name',
      spec: { assert: 'unique-groupnames' },
      files: { ...FILES, '/etc/group': `${GROUP}\nalice:x:1001:` },
      evidence: [{ line: 5 }, { line: 6 }],
    },
    {
      name: 'primary group missing',
      spec: { assert: 'passwd-groups-exist' },
      files: { ...FILES, '/etc/passwd': `${PASSWD}\nbob:x:1001:1001::/home/bob:/bin/bash` },
      evidence: [{ resource: '/etc/passwd', line: 6, found: 'gid 1001 has no group', detail: 'account bob' }],
    },
    {
      name: 'root primary group not 0',
      spec: { assert: 'root-gid-zero' },
      files: { ...FILES, '/etc/passwd': PASSWD.replace('root:x:0:0', 'root:x:0:1') },
      evidence: [{ line: 1, found: 'gid 1', detail: 'account root' }],
    },
    {
      name: 'shadow group has members and a primary member',
      spec: { assert: 'shadow-group-empty' },
      files: {
        ...FILES,
        '/etc/group': GROUP.replace('shadow:x:42:', 'shadow:x:42:alice'),
        '/etc/passwd': `${PASSWD}\nbob:x:1001:42::/home/bob:/bin/bash`,
      },
      evidence: [
        { source: 'group', resource: '/etc/group', line: 3, found: 'members alice' },
        { source: 'account', resource: '/etc/passwd', line: 6, detail: 'account bob' },
      ],
      message: /^alice and bob are members of the shadow group\.$/,
    },
  ],
  error: [
    {
      name: 'shadow unreadable',
      spec: { assert: 'password-max-days' },
      files: { '/etc/passwd': PASSWD },
      facts: { results: { shadow: { status: 'error', message: 'EACCES reading /etc/shadow' } } },
      message: /EACCES/,
    },
  ],
  notchecked: [
    {
      name: 'shadow unreadable by an unprivileged agent',
      spec: { assert: 'no-empty-passwords' },
      files: FILES,
      facts: { results: { shadow: { status: 'unavailable', reason: 'not running as root' } } },
      message: /not running as root/,
    },
  ],
  invalidSpec: [
    { name: 'unknown assertion', spec: { assert: 'strong-passwords' }, field: 'assert' },
    { name: 'max on an assertion without it', spec: { assert: 'unique-uid0', max: 3 }, field: 'max' },
    { name: 'negative max', spec: { assert: 'password-max-days', max: -1 }, field: 'max' },
  ],
});
