/**
 * The temp tree the filesystem probe tests run on (and oscap-chroot evaluates as `/`). Symlinks are
 * relative: oscap-chroot resolves absolute ones against the host, Vouch inside the root.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { makeTree } from '../../../../src/targets/temp-tree.js';

export async function makeProbeTree(): Promise<string> {
  const root = await makeTree({
    'etc/a.conf': { text: 'key=1\nkey=2\n', mode: 0o4755 },
    'etc/sub/b.conf': 'b\n',
    'etc/sub/deeper/c.conf': 'c\n',
    'etc/d.conf/inner.conf': 'inner\n',
    'etc/empty': { dir: true },
    'etc/link.conf': { link: 'a.conf' },
    'etc/dangling.conf': { link: 'nowhere' },
    'etc/dirlink': { link: 'sub' },
    'etc/fifo.conf': { fifo: true },
    'etc/ww.conf': { text: 'ww\n', mode: 0o666 },
    'etc/cron.daily/job': 'run\n',
    'etc/cron.weekly/job': 'run\n',
    'data/k': 'key=1\nkey=2\n',
    'data/nonl': 'key=1\nkey=2',
    'data/ab': 'ab\n',
    'data/b': 'b\n',
    'data/latin1': Buffer.from([0x6b, 0x65, 0x79, 0x3d, 0xe9, 0x0a]),
    'data/nul': Buffer.from('key=1\n\u0000key=2\n'),
  });
  execFileSync('mknod', [join(root, 'etc/null.conf'), 'c', '1', '3']);
  // A Unix socket: bind it, then close the server (the socket file stays).
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(join(root, 'etc/sock.conf'), resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return root;
}
