/**
 * The fake host must answer like the real collectors, or check tests would pass against a world
 * that does not exist. Each scenario is materialised as a real root directory, collected through
 * the real transport and collectors, and compared with the FakeHost's answer for the same request.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createFactProvider } from '../collectors/index.js';
import type { FactRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import { openRootDirTransport } from '../targets/index.js';
import { isRoot, makeTree, removeTree, type TreeSpec } from '../targets/temp-tree.js';
import { type FakeFiles, FakeHost } from './fake-host.js';

const FILES: FakeFiles = {
  '/etc/ssh/sshd_config': 'Include /etc/ssh/sshd_config.d/*.conf\nInclude extra.conf\nPort 22\n',
  '/etc/ssh/sshd_config.d/10-b.conf': 'PermitRootLogin no\n',
  '/etc/ssh/sshd_config.d/00-a.conf': 'Include /etc/ssh/nested/*\n',
  '/etc/ssh/nested/x': 'X11Forwarding no\nInclude /etc/ssh/sshd_config\n',
  '/etc/sudoers': 'root ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n',
  '/etc/sudoers.d/alice': 'alice ALL=(ALL) ALL\n',
  '/etc/sudoers.d/README.txt': 'ignored\n',
  '/etc/sysctl.conf': 'kernel.a = 1\n',
  '/etc/sysctl.d/99-sysctl.conf': { link: '../sysctl.conf' },
  '/etc/sysctl.d/50-vendor.conf': { link: '/dev/null' },
  '/etc/sysctl.d/.hidden.conf': 'x = 1\n',
  '/usr/lib/sysctl.d/50-vendor.conf': 'net.ipv4.ip_forward = 1\n',
  '/usr/lib/sysctl.d/10-a.conf': 'kernel.b = 2\n',
  '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n',
  '/etc/shadow': 'root:$y$abc:19700:0:99999:7:::\nalice:!:19700::::::\n',
  '/etc/group': 'root:x:0:\nshadow:x:42:alice\n',
  '/etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
  '/var/lib/dpkg/status':
    'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\nArchitecture: amd64\n\nPackage: telnetd\nStatus: deinstall ok config-files\nVersion: 0.17\n',
  '/usr/lib/systemd/system/auditd.service': '[Install]\nWantedBy=multi-user.target\n',
  '/etc/systemd/system/multi-user.target.wants/auditd.service': {
    link: '/usr/lib/systemd/system/auditd.service',
  },
  '/lib/systemd/system/avahi-daemon.service': '[Install]\nWantedBy=multi-user.target\n',
  '/etc/systemd/system/avahi-daemon.service': { link: '/dev/null' },
  '/etc/shadow-': { text: '', mode: 0o600 },
  '/etc/cron.d': { type: 'dir', mode: 0o700 },
  '/etc/mtab': { link: '../proc/self/mounts' },
};

const REQUESTS: FactRequest[] = [
  { kind: 'config-tree', path: '/etc/ssh/sshd_config', syntax: 'sshd' },
  { kind: 'config-tree', path: '/etc/sudoers', syntax: 'sudoers' },
  { kind: 'config-tree', path: '/etc/ssh/missing', syntax: 'sshd' },
  {
    kind: 'file-glob',
    dirs: ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'],
    pattern: '*.conf',
  },
  { kind: 'file-text', path: '/etc/sysctl.conf' },
  { kind: 'file-text', path: '/etc/nothing' },
  { kind: 'stat', path: '/etc/shadow-' },
  { kind: 'stat', path: '/etc/cron.d' },
  { kind: 'stat', path: '/etc/mtab' },
  { kind: 'stat', path: '/etc/absent' },
  { kind: 'dir-list', path: '/etc/sudoers.d' },
  { kind: 'passwd' },
  { kind: 'shadow' },
  { kind: 'group' },
  { kind: 'os-release' },
  { kind: 'packages' },
  { kind: 'dpkg-status' },
  { kind: 'systemd-unit', unit: 'auditd.service' },
  { kind: 'systemd-unit', unit: 'avahi-daemon.service' },
  { kind: 'systemd-unit', unit: 'nothing.service' },
  { kind: 'sysctl-runtime', key: 'net.ipv4.ip_forward' },
  { kind: 'file-tree', path: '/etc', maxDepth: 1 },
  { kind: 'file-tree', path: '/etc/ssh', follow: true },
  { kind: 'file-tree', path: '/etc/sysctl.d', select: 'special' },
  { kind: 'file-tree', path: '/etc/nothing' },
];

function toTree(files: FakeFiles): TreeSpec {
  const tree: TreeSpec = {};
  for (const [path, file] of Object.entries(files)) {
    if (typeof file === 'string') tree[path] = file;
    else if (file.link !== undefined) tree[path] = { link: file.link };
    else if (file.type === 'dir') tree[path] = { dir: true, mode: Number(file.mode ?? 0o755) };
    else tree[path] = { text: file.text ?? '', mode: typeof file.mode === 'number' ? file.mode : 0o644 };
  }
  return tree;
}

/** What a check may depend on: the status and value, without collection bookkeeping. */
function comparable(result: FactResult): unknown {
  if (result.status !== 'ok') return { status: result.status };
  const value = JSON.parse(JSON.stringify(result.value)) as Record<string, unknown>;
  // Sizes, times and (without root) owners of a real tree are not modelled by the fake.
  for (const field of ['size', 'mtimeMs', 'atimeMs', 'ctimeMs', ...(isRoot ? [] : ['uid', 'gid'])])
    delete value[field];
  if (Array.isArray(value.entries) && value.entries.some((e) => typeof e === 'object' && 'depth' in e)) {
    value.entries = (value.entries as Array<Record<string, unknown>>).map(
      ({ size: _s, atimeMs: _a, ctimeMs: _c, mtimeMs: _m, uid, gid, ...entry }) =>
        isRoot ? { ...entry, uid, gid } : entry,
    );
  }
  return { status: 'ok', value };
}

describe('FakeHost answers like the real collectors on a root directory', async () => {
  const root = await makeTree(toTree(FILES));
  afterAll(() => removeTree(root));
  const provider = createFactProvider(await openRootDirTransport(root));
  const fake = new FakeHost(FILES, {}, 'root');

  it.each(REQUESTS.map((request) => [JSON.stringify(request), request] as const))(
    '%s',
    async (_name, request) => {
      const real = await provider.collect(request);
      expect(comparable(fake.answer(request))).toEqual(comparable(real));
    },
  );
});
