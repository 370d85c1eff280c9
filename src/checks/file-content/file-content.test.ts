import { CheckTester } from '../../testing/check-tester.js';
import fileContent from './index.js';

const SUDOERS_D = { dirs: ['/etc/sudoers.d'], pattern: '*' };

new CheckTester().run(fileContent, {
  pass: [
    {
      name: 'a match in the head of a truncated file is enough',
      spec: { path: '/var/log/big', match: '^head' },
      facts: {
        results: {
          'file-text': {
            status: 'ok',
            value: { path: '/var/log/big', exists: true, text: 'head\n', truncated: true },
          },
        },
      },
    },
    {
      name: 'present in the main file',
      spec: { path: '/etc/sudoers', match: '^\\s*Defaults\\s+use_pty\\b' },
      files: { '/etc/sudoers': 'root ALL=(ALL) ALL\nDefaults use_pty\n' },
      evidence: [{ source: 'file', resource: '/etc/sudoers', line: 2, found: 'Defaults use_pty' }],
    },
    {
      name: 'present in a drop-in when path and glob are both searched',
      spec: { path: '/etc/sudoers', glob: SUDOERS_D, match: '^Defaults\\s+logfile=' },
      files: {
        '/etc/sudoers': 'root ALL=(ALL) ALL\n',
        '/etc/sudoers.d/50-log': '# log\nDefaults logfile="/var/log/sudo.log"\n',
      },
      evidence: [{ resource: '/etc/sudoers.d/50-log', line: 2 }],
    },
    {
      name: 'absent everywhere',
      spec: { glob: SUDOERS_D, match: 'NOPASSWD', expect: 'absent' },
      files: { '/etc/sudoers.d/a': 'alice ALL=(ALL) ALL\n' },
      evidence: [{ resource: '/etc/sudoers.d/a', found: 'no match' }],
    },
    {
      name: 'absent and the file is missing (default pass)',
      spec: { path: '/etc/hosts.equiv', match: '^\\+', expect: 'absent' },
      evidence: [{ resource: '/etc/hosts.equiv', found: 'missing' }],
    },
    {
      name: 'case-insensitive flags',
      spec: { path: '/etc/issue.net', match: 'authorized', flags: 'im' },
      files: { '/etc/issue.net': 'AUTHORIZED USE ONLY\n' },
    },
    {
      name: 'missing file accepted for present',
      spec: { path: '/etc/motd', match: 'x', missing: 'pass' },
    },
  ],
  fail: [
    {
      name: 'not present',
      spec: { path: '/etc/sudoers', match: '^\\s*Defaults\\s+use_pty\\b' },
      files: { '/etc/sudoers': 'root ALL=(ALL) ALL\n#Defaults use_pty\n' },
      evidence: [
        {
          source: 'file',
          resource: '/etc/sudoers',
          expected: 'a line matching /^\\s*Defaults\\s+use_pty\\b/',
          found: 'no match',
        },
      ],
    },
    {
      name: 'present where it must be absent: each line named',
      spec: { glob: SUDOERS_D, match: 'NOPASSWD', expect: 'absent' },
      files: {
        '/etc/sudoers.d/a': 'x\nalice ALL=(ALL) NOPASSWD: ALL\n',
        '/etc/sudoers.d/b': 'bob ALL=(ALL) NOPASSWD: ALL\n',
      },
      evidence: [
        { resource: '/etc/sudoers.d/a', line: 2, found: 'alice ALL=(ALL) NOPASSWD: ALL' },
        { resource: '/etc/sudoers.d/b', line: 1 },
      ],
      message: /\/etc\/sudoers.d\/a:2/,
    },
    {
      name: 'file missing fails for present by default',
      spec: { path: '/etc/issue.net', match: 'Authorized' },
      evidence: [{ resource: '/etc/issue.net', found: 'missing' }],
    },
    {
      name: 'without the m flag ^ only matches at the start of the file',
      spec: { path: '/etc/issue', match: '^Authorized', flags: '' },
      files: { '/etc/issue': 'Debian\nAuthorized use only\n' },
      evidence: [{ resource: '/etc/issue' }],
    },
  ],
  notapplicable: [
    {
      name: 'missing is notapplicable when asked',
      spec: { path: '/etc/chrony/chrony.conf', match: '^server', missing: 'notapplicable' },
      evidence: [{ resource: '/etc/chrony/chrony.conf' }],
    },
  ],
  error: [
    {
      name: 'absence cannot be shown in a truncated file',
      spec: { path: '/var/log/big', match: 'secret', expect: 'absent' },
      facts: {
        results: {
          'file-text': {
            status: 'ok',
            value: { path: '/var/log/big', exists: true, text: 'head\n', truncated: true },
          },
        },
      },
      evidence: [{ resource: '/var/log/big', found: 'truncated' }],
      message: /larger than the read limit/,
    },
    {
      name: 'file unreadable',
      spec: { path: '/etc/sudoers', match: 'x' },
      facts: { results: { 'file-text': { status: 'error', message: 'EACCES' } } },
      message: /EACCES/,
    },
  ],
  notchecked: [
    {
      name: 'drop-in directory not collected',
      spec: { glob: SUDOERS_D, match: 'NOPASSWD', expect: 'absent' },
      facts: { results: { 'file-glob': { status: 'unavailable', reason: 'sudoers.d is not readable' } } },
      message: /sudoers.d is not readable/,
    },
  ],
  invalidSpec: [
    { name: 'neither path nor glob', spec: { match: 'x' }, field: 'path' },
    { name: 'bad regex', spec: { path: '/etc/x', match: '(' }, field: 'match' },
    { name: 'bad flags', spec: { path: '/etc/x', match: 'x', flags: 'q' }, field: 'flags' },
    { name: 'flags that cannot combine', spec: { path: '/etc/x', match: 'x', flags: 'uv' }, field: 'flags' },
    { name: 'relative glob dir', spec: { glob: { dirs: ['etc'] }, match: 'x' }, field: 'glob.dirs.0' },
  ],
});
