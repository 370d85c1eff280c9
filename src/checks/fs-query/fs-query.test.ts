import { CheckTester } from '../../testing/check-tester.js';
import fsQuery from './index.js';

const BASE = {
  '/etc/passwd': 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n',
  '/etc/group': 'root:x:0:\nalice:x:1000:\n',
  '/tmp': { type: 'dir' as const, mode: '1777' },
  '/usr/bin/passwd': { text: '', mode: '4755' },
  '/usr/bin/wall': { text: '', mode: '2755' },
};

new CheckTester().run(fsQuery, {
  pass: [
    {
      name: 'no world-writable files',
      spec: { find: 'world-writable-files' },
      files: BASE,
      evidence: [{ source: 'walk', resource: '/' }],
    },
    { name: 'sticky /tmp is fine', spec: { find: 'world-writable-dirs-without-sticky' }, files: BASE },
    { name: 'allowed SUID binaries', spec: { find: 'suid', allow: ['/usr/bin/passwd'] }, files: BASE },
    { name: 'allow globs', spec: { find: 'sgid', allow: ['/usr/bin/*'] }, files: BASE },
    { name: 'everything owned', spec: { find: 'unowned' }, files: BASE },
    { name: 'everything grouped', spec: { find: 'ungrouped' }, files: BASE },
    {
      name: 'the message says what the walk did not descend into',
      spec: { find: 'world-writable-files', allow: ['/nothing'] },
      files: BASE,
      facts: { walk: { skipped: ['/proc', '/sys', '/mnt/nfs'] } },
      message: /not descended: \/proc, \/sys and \/mnt\/nfs\)\.$/,
    },
  ],
  fail: [
    {
      name: 'world-writable file',
      spec: { find: 'world-writable-files' },
      files: { ...BASE, '/etc/cron.d/job': { text: '', mode: '0666' } },
      evidence: [{ source: 'walk', resource: '/etc/cron.d/job', found: 'mode 0666' }],
    },
    {
      name: 'world-writable dir without sticky',
      spec: { find: 'world-writable-dirs-without-sticky' },
      files: { ...BASE, '/srv/drop': { type: 'dir', mode: '0777' } },
      evidence: [{ resource: '/srv/drop', found: 'mode 0777' }],
    },
    {
      name: 'unreviewed SUID binary',
      spec: { find: 'suid', allow: ['/usr/bin/passwd'] },
      files: { ...BASE, '/opt/tool': { text: '', mode: '4711' } },
      evidence: [{ resource: '/opt/tool', found: 'mode 4711' }],
    },
    {
      name: 'unowned file, by uid only',
      spec: { find: 'unowned' },
      files: { ...BASE, '/srv/a': { text: '', uid: 4242 }, '/srv/b': { text: '', gid: 4242 } },
      evidence: [{ resource: '/srv/a', found: 'uid 4242' }],
    },
    {
      name: 'ungrouped file, by gid only',
      spec: { find: 'ungrouped' },
      files: { ...BASE, '/srv/a': { text: '', uid: 4242 }, '/srv/b': { text: '', gid: 4242 } },
      evidence: [{ resource: '/srv/b', found: 'gid 4242' }],
    },
  ],
  informational: [
    {
      name: 'review list never fails',
      spec: { find: 'suid', report: 'informational' },
      files: BASE,
      evidence: [{ resource: '/usr/bin/passwd' }],
    },
  ],
  notchecked: [
    {
      name: 'walk unavailable',
      spec: { find: 'suid' },
      facts: { results: { walk: { status: 'unavailable', reason: 'walk disabled by --no-walk' } } },
      message: /--no-walk/,
    },
  ],
  error: [
    {
      name: 'walk failed',
      spec: { find: 'suid' },
      facts: { results: { walk: { status: 'error', message: 'EIO' } } },
    },
  ],
  invalidSpec: [{ name: 'unknown query', spec: { find: 'big-files' }, field: 'find' }],
});
