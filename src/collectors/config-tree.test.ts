import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigTreeValue } from '../core/facts/fact-values.js';
import { openRootDirTransport } from '../targets/root-dir.js';
import { makeTree, removeTree } from '../targets/temp-tree.js';
import { sshdIncludes, sudoersIncludes } from './config-tree.js';
import { createFactProvider } from './index.js';

let dir: string;

beforeAll(async () => {
  dir = await makeTree({
    'etc/ssh/sshd_config':
      'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin no\nInclude extra/"my file"\n',
    'etc/ssh/sshd_config.d/50-cloud.conf': 'PasswordAuthentication yes\nInclude nested.conf\n',
    'etc/ssh/sshd_config.d/10-hardening.conf': 'PermitRootLogin yes\n',
    'etc/ssh/sshd_config.d/.hidden.conf': 'hidden\n',
    'etc/ssh/sshd_config.d/notes.txt': 'not included\n',
    'etc/ssh/nested.conf': 'X11Forwarding no\n',
    'etc/ssh/extra/my file': 'quoted\n',
    'etc/ssh/loop.conf': 'Include /etc/ssh/loop.conf\n',
    'etc/sudoers':
      'Defaults use_pty\n#includedir /etc/sudoers.d\n@include sudoers.local\n@include /etc/missing\n',
    'etc/sudoers.d/10-admins': 'alice ALL=(ALL) ALL\n',
    'etc/sudoers.d/README': '#include /etc/sudoers.d/nested\n',
    'etc/sudoers.d/backup~': 'skipped\n',
    'etc/sudoers.d/with.dot': 'skipped\n',
    'etc/sudoers.d/nested': 'bob ALL=(ALL) ALL\n',
    'etc/sudoers.local': 'carol ALL=(ALL) ALL\n',
  });
});
afterAll(() => removeTree(dir));

async function tree(path: string, syntax: 'sshd' | 'sudoers') {
  const result = await createFactProvider(await openRootDirTransport(dir)).collect({
    kind: 'config-tree',
    path,
    syntax,
  });
  if (result.status !== 'ok') throw new Error(JSON.stringify(result));
  return { value: result.value as ConfigTreeValue, sources: result.sources };
}

describe('config-tree', () => {
  it('follows sshd Include globs relative to /etc/ssh, in order, depth first', async () => {
    const { value, sources } = await tree('/etc/ssh/sshd_config', 'sshd');
    expect(value.exists).toBe(true);
    expect(value.files.map((file) => file.path)).toEqual([
      '/etc/ssh/sshd_config',
      '/etc/ssh/sshd_config.d/10-hardening.conf',
      '/etc/ssh/sshd_config.d/50-cloud.conf',
      '/etc/ssh/nested.conf',
      '/etc/ssh/extra/my file',
    ]);
    expect(value.files[1]?.text).toBe('PermitRootLogin yes\n');
    expect(value.unmatchedIncludes).toEqual([]);
    // the drop-in directory is a source: a new *.conf there must invalidate the fact
    expect(sources.map((source) => source.path)).toContain('/etc/ssh/sshd_config.d');
  });

  it('stops at a file including itself', async () => {
    const { value } = await tree('/etc/ssh/loop.conf', 'sshd');
    expect(value.files.map((file) => file.path)).toEqual(['/etc/ssh/loop.conf']);
  });

  it('follows sudoers #includedir / @include, skipping names with dots or ~', async () => {
    const { value } = await tree('/etc/sudoers', 'sudoers');
    expect(value.files.map((file) => file.path)).toEqual([
      '/etc/sudoers',
      '/etc/sudoers.d/10-admins',
      '/etc/sudoers.d/README',
      '/etc/sudoers.d/nested',
      '/etc/sudoers.local',
    ]);
    expect(value.unmatchedIncludes).toEqual(['/etc/missing']);
  });

  it('reports a missing root file', async () => {
    const { value, sources } = await tree('/etc/ssh/nope', 'sshd');
    expect(value).toEqual({ files: [], unmatchedIncludes: [], exists: false });
    expect(sources).toEqual([{ path: '/etc/ssh/nope', fingerprint: 'absent' }]);
  });
});

describe('include directives', () => {
  it.each([
    ['Include /etc/ssh/sshd_config.d/*.conf', ['/etc/ssh/sshd_config.d/*.conf']],
    ['  include a.conf b.conf', ['/etc/ssh/a.conf', '/etc/ssh/b.conf']],
    ['Include=/x', ['/x']],
    ['Include "/with space/x"', ['/with space/x']],
    ['# Include /commented', []],
    ['IncludeX /no', []],
  ])('sshd %j', (line, expected) => {
    expect(sshdIncludes(line)).toEqual(expected);
  });

  it.each([
    ['#includedir /etc/sudoers.d', [{ directive: 'includedir', path: '/etc/sudoers.d' }]],
    ['@includedir /etc/sudoers.d', [{ directive: 'includedir', path: '/etc/sudoers.d' }]],
    ['@include local', [{ directive: 'include', path: '/etc/local' }]],
    ['#include "/etc/with space"', [{ directive: 'include', path: '/etc/with space' }]],
    ['# includedir is a comment', []],
    ['#includes /x', []],
  ])('sudoers %j', (line, expected) => {
    expect(sudoersIncludes(line, '/etc/sudoers')).toEqual(expected);
  });
});
