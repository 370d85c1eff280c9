/**
 * The SSH transport's primitives against a real sshd on loopback, compared with the local
 * transport reading the same temp tree; and the one-line errors of a connection that must fail.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VouchError } from '../../../src/core/errors.js';
import { createLocalTransport, openTarget } from '../../../src/targets/index.js';
import { openSshTransport, type SshTransport } from '../../../src/targets/ssh/ssh-transport.js';
import type { Transport } from '../../../src/targets/transport.js';
import { type Sshd, sshdAvailable, startSshd } from './sshd-harness.js';

describe.skipIf(!sshdAvailable())('SSH transport on a real sshd', () => {
  let sshd: Sshd;
  let ssh: SshTransport;
  let local: Transport;
  let tree: string;

  beforeAll(async () => {
    sshd = await startSshd();
    ssh = await openSshTransport({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.knownHosts,
    });
    local = createLocalTransport();
    tree = await mkdtemp(join(tmpdir(), 'vouch-ssh-tree-'));
    await mkdir(join(tree, 'dir/sub'), { recursive: true });
    await writeFile(join(tree, 'dir/a.conf'), 'alpha\n');
    await writeFile(join(tree, 'dir/big'), 'x'.repeat(300_000));
    await writeFile(join(tree, "it's $(id) a file"), 'quoted\n');
    await symlink('a.conf', join(tree, 'dir/link'));
    await symlink('missing', join(tree, 'dir/dangling'));
    await writeFile(join(tree, 'dir/world'), 'w');
    await chmod(join(tree, 'dir/world'), 0o666);
    await writeFile(join(tree, 'dir/suid'), 's');
    await chmod(join(tree, 'dir/suid'), 0o4755);
    await writeFile(join(tree, 'dir/orphan'), 'o');
    await chown(join(tree, 'dir/orphan'), 54321, 54321);
    execFileSync('mkfifo', [join(tree, 'dir/fifo')]);
  });

  afterAll(async () => {
    await ssh?.close();
    await sshd?.stop();
    if (tree) await rm(tree, { recursive: true, force: true });
  });

  it('is a live ssh target named by user@host:port', () => {
    expect(ssh.kind).toBe('ssh');
    expect(ssh.live).toBe(true);
    expect(ssh.description).toBe(`ssh root@127.0.0.1:${sshd.port}`);
  });

  it('answers lstat / stat / readlink / realpath / readdir like the local transport', async () => {
    const paths = [
      'dir',
      'dir/a.conf',
      'dir/link',
      'dir/dangling',
      'dir/fifo',
      'dir/suid',
      'nope',
      'dir/a.conf/x',
    ];
    for (const relative of paths) {
      const path = join(tree, relative);
      for (const op of ['lstat', 'stat'] as const) {
        const [a, b] = await Promise.all([local[op](path), ssh[op](path)]);
        // SFTP has whole-second mtimes and no dev/ino/ctime: compare what it does carry.
        const pick = (s: typeof a) =>
          s && { type: s.type, mode: s.mode, uid: s.uid, gid: s.gid, size: s.size };
        expect(pick(b), `${op} ${relative}`).toEqual(pick(a));
        if (a && b) expect(Math.floor(a.mtimeMs / 1000) * 1000).toBe(b.mtimeMs);
      }
      expect(await ssh.readlink(path), `readlink ${relative}`).toBe(await local.readlink(path));
      expect(await ssh.realpath(path), `realpath ${relative}`).toBe(await local.realpath(path));
      expect(await ssh.readdir(path), `readdir ${relative}`).toEqual(await local.readdir(path));
    }
  });

  it('reads files (truncating at maxBytes), follows symlinks, and refuses a FIFO', async () => {
    expect((await ssh.readFile(join(tree, 'dir/link'), 100))?.data.toString()).toBe('alpha\n');
    expect(await ssh.readFile(join(tree, 'nope'), 100)).toBeNull();
    const big = await ssh.readFile(join(tree, 'dir/big'), 200_000);
    expect(big?.truncated).toBe(true);
    expect(big?.data.length).toBe(200_000);
    const whole = await ssh.readFile(join(tree, 'dir/big'), 1_000_000);
    expect(whole).toEqual({ data: Buffer.from('x'.repeat(300_000)), truncated: false });
    // /proc files report size 0: read to EOF anyway.
    expect((await ssh.readFile('/proc/self/status', 100_000))?.data.toString()).toMatch(/^Name:/);
    await expect(ssh.readFile(join(tree, 'dir/fifo'), 100)).rejects.toThrow(/not a regular file/);
    await expect(ssh.readFile(join(tree, 'dir'), 100)).rejects.toThrow(/not a regular file/);
    await expect(ssh.readFile('relative/path', 100)).rejects.toThrow(/absolute/);
  });

  it('pipelines many concurrent requests over the one SFTP session', async () => {
    const reads = await Promise.all(
      Array.from({ length: 300 }, () => ssh.readFile(join(tree, 'dir/a.conf'), 100)),
    );
    expect(reads.every((read) => read?.data.toString() === 'alpha\n')).toBe(true);
  });

  it('passes every argv word through unchanged (quoted for the remote shell)', async () => {
    const words = ["it's", '$(id)', '`id`', 'a;b', '*', '', 'new\nline', '"', '\\', '~', '$HOME'];
    const result = await ssh.exec(['printf', '%s\\0', ...words], { timeoutMs: 10_000 });
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\0').slice(0, -1)).toEqual(words);
    const cat = await ssh.exec(['cat', '--', join(tree, "it's $(id) a file")], { timeoutMs: 10_000 });
    expect(cat.stdout).toBe('quoted\n');
  });

  it('reports exit codes, stderr, a missing command (127) and the C locale', async () => {
    const fail = await ssh.exec(['sh', '-c', 'echo out; echo err >&2; exit 3'], { timeoutMs: 10_000 });
    expect(fail).toMatchObject({ exitCode: 3, stdout: 'out\n', stderr: 'err\n', timedOut: false });
    const missing = await ssh.exec(['no-such-command-vouch'], { timeoutMs: 10_000 });
    expect(missing.exitCode).toBe(127);
    const locale = await ssh.exec(['sh', '-c', 'echo "$LC_ALL"'], { timeoutMs: 10_000 });
    expect(locale.stdout).toBe('C\n');
    await expect(ssh.exec(['A=B', 'x'], { timeoutMs: 1000 })).rejects.toThrow(/must not contain '='/);
  });

  it('times out a command and stays usable', async () => {
    const started = Date.now();
    const marker = `vouch-timeout-${process.pid}-${Date.now()}`;
    const slow = await ssh.exec(['sh', '-c', 'sleep 30; : "$1"', 'sh', marker], { timeoutMs: 300 });
    expect(slow.timedOut).toBe(true);
    expect(slow.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect((await ssh.exec(['true'], { timeoutMs: 10_000 })).exitCode).toBe(0);
    // The remote command does not outlive its deadline (and its child sleep goes with it).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // `[v]ouch…` matches the marker but not this pgrep's own command line (nor its wrappers').
    const left = await ssh.exec(['pgrep', '-f', `[v]${marker.slice(1)}`], { timeoutMs: 10_000 });
    expect(left.stdout).toBe('');
  });

  it('lists trees (file-tree) with remote find exactly like the local lister', async () => {
    // Its own directory: the special file here must not show up in the walk test's tree.
    const base = await mkdtemp(join(tmpdir(), 'vouch-ssh-list-'));
    await mkdir(join(base, 'a/b'), { recursive: true });
    await writeFile(join(base, 'a/b/file'), 'f');
    await chmod(join(base, 'a/b/file'), 0o4755);
    await symlink('a', join(base, 'link-to-a'));
    await symlink('..', join(base, 'a/b/loop'));
    await symlink('nowhere', join(base, 'dangling'));
    const cases = [
      { path: base },
      { path: base, follow: true },
      { path: base, maxDepth: 1 },
      { path: base, select: 'special' as const },
      { path: join(base, 'link-to-a'), follow: true },
      { path: join(base, 'a/b/file') },
      { path: join(base, 'missing') },
    ];
    const listTree = local.listTree?.bind(local);
    if (!listTree) throw new Error('the local transport lists trees natively');
    for (const options of cases) {
      await listTree(options); // first listing: directory atimes settle (relatime)
      const [a, b] = [await listTree(options), await ssh.listTree(options)];
      expect(b, JSON.stringify(options)).toEqual(a);
    }
    const followed = await ssh.listTree({ path: base, follow: true });
    expect(followed.entries.map((e) => e.path.slice(base.length))).toContain('/link-to-a/b/file');
    await rm(base, { recursive: true, force: true });
  });

  it('answers statfs (statvfs@openssh.com) like the local transport', async () => {
    const statfs = local.statfs?.bind(local);
    if (!statfs) throw new Error('the local transport answers statfs');
    for (const path of ['/', tree, join(tree, 'dir/a.conf'), '/proc', '/nonexistent']) {
      const [a, b] = [await statfs(path), await ssh.statfs(path)];
      if (a === null) {
        expect(b, path).toBeNull();
        continue;
      }
      expect(b, path).toMatchObject({
        blockSize: a.blockSize,
        blocks: a.blocks,
        mountOptions: a.mountOptions,
      });
      // Free space moves as other processes write; it must be the same order of magnitude.
      expect(Math.abs((b?.blocksFree ?? 0) - a.blocksFree), path).toBeLessThanOrEqual(
        Math.max(1000, a.blocks / 100),
      );
    }
  });

  it('walks with remote find exactly like the local walk', async () => {
    const options = { knownUids: new Set([0]), knownGids: new Set([0]), roots: [tree] };
    const [a, b] = await Promise.all([local.walk({ ...options, walker: 'find' }), ssh.walk(options)]);
    expect(b.special).toEqual(a.special);
    expect(b.unowned).toEqual(a.unowned);
    expect(b.visited).toBe(a.visited);
    expect(b.special.map((e) => e.path)).toEqual([join(tree, 'dir/suid'), join(tree, 'dir/world')]);
    expect(b.unowned.map((e) => e.path)).toEqual([join(tree, 'dir/orphan')]);
  });
});

describe.skipIf(!sshdAvailable())('SSH connection failures are one line naming the host', () => {
  let sshd: Sshd;
  let scratch: string;

  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await mkdtemp(join(tmpdir(), 'vouch-ssh-kh-'));
  });
  afterAll(async () => {
    await sshd?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  async function failure(options: Parameters<typeof openSshTransport>[0]): Promise<VouchError> {
    try {
      const transport = await openSshTransport(options);
      await transport.close();
    } catch (error) {
      expect(error).toBeInstanceOf(VouchError);
      expect((error as Error).message).not.toContain('\n');
      return error as VouchError;
    }
    throw new Error('connection unexpectedly succeeded');
  }

  it.skipIf(!existsSync('/usr/bin/ssh-agent'))('authenticates through an ssh-agent socket', async () => {
    const socket = join(scratch, 'agent.sock');
    const agent = spawn('/usr/bin/ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 100));
      execFileSync('/usr/bin/ssh-add', ['-q', sshd.clientKey], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
      });
      const transport = await openSshTransport({
        url: sshd.url(),
        agentSocket: socket,
        knownHostsFile: sshd.knownHosts,
      });
      expect((await transport.exec(['id', '-u'], { timeoutMs: 20_000 })).stdout).toBe('0\n');
      await transport.close();
      // An agent holding only a refused key: the same one-line authentication error.
      execFileSync('/usr/bin/ssh-add', ['-q', '-D'], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
        stdio: 'ignore',
      });
      execFileSync('/usr/bin/ssh-add', ['-q', sshd.wrongKey], {
        env: { ...process.env, SSH_AUTH_SOCK: socket },
      });
      const error = await failure({ url: sshd.url(), agentSocket: socket, knownHostsFile: sshd.knownHosts });
      expect(error.code).toBe('SSH_AUTH_FAILED');
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('a dropped connection fails pending and later requests instead of hanging', async () => {
    const transport = await openSshTransport({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.knownHosts,
    });
    expect(await transport.lstat('/')).not.toBeNull();
    const pending = transport.exec(['sleep', '20'], { timeoutMs: 60_000 });
    // Kill the sshd processes serving this connection (children of our own listening sshd).
    const sessions = execFileSync('pgrep', ['-P', String(sshd.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n');
    for (const pid of sessions) process.kill(Number(pid), 'SIGKILL');
    const lost = /^ssh root@127\.0\.0\.1:\d+: connection lost/;
    await expect(pending).rejects.toThrow(lost);
    await expect(transport.readFile('/etc/hostname', 100)).rejects.toThrow(/connection lost/);
    await expect(transport.exec(['true'], { timeoutMs: 1000 })).rejects.toThrow(lost);
    await transport.close();
  });

  it('unknown host key', async () => {
    const empty = join(scratch, 'empty_known_hosts');
    await writeFile(empty, '');
    const error = await failure({ url: sshd.url(), privateKeyFile: sshd.clientKey, knownHostsFile: empty });
    expect(error.code).toBe('SSH_HOST_KEY_UNKNOWN');
    expect(error.message).toContain(`root@127.0.0.1:${sshd.port}`);
    expect(error.message).toMatch(/host key of \[127\.0\.0\.1\]:\d+ is unknown \(ssh-ed25519 SHA256:/);
  });

  it('changed host key', async () => {
    const error = await failure({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.changedKnownHosts,
    });
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
    expect(error.message).toContain(`${sshd.changedKnownHosts}:1`);
  });

  it('--ssh-insecure-accept-new records a new host key, which then verifies', async () => {
    const file = join(scratch, 'tofu_known_hosts');
    const first = await openSshTransport({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: file,
      acceptNewHostKey: true,
    });
    await first.close();
    const recorded = await readFile(file, 'utf8');
    expect(recorded).toBe(await readFile(sshd.knownHosts, 'utf8'));
    const second = await openSshTransport({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: file,
    });
    await second.close();
  });

  it('accept-new never overrides a changed key', async () => {
    const error = await failure({
      url: sshd.url(),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.changedKnownHosts,
      acceptNewHostKey: true,
    });
    expect(error.code).toBe('SSH_HOST_KEY_CHANGED');
  });

  it('wrong key', async () => {
    const error = await failure({
      url: sshd.url(),
      privateKeyFile: sshd.wrongKey,
      knownHostsFile: sshd.knownHosts,
    });
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toBe(
      `ssh root@127.0.0.1:${sshd.port}: authentication failed (the key or agent identities were refused)`,
    );
  });

  it('user not allowed', async () => {
    const error = await failure({
      url: sshd.url('nobody'),
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.knownHosts,
    });
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toContain('nobody@127.0.0.1');
  });

  it('unreachable host', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const error = await failure({
      url: `ssh://root@127.0.0.1:${port}`,
      privateKeyFile: sshd.clientKey,
      knownHostsFile: sshd.knownHosts,
    });
    expect(error.code).toBe('SSH_UNREACHABLE');
    expect(error.message).toBe(`ssh root@127.0.0.1:${port}: host unreachable (ECONNREFUSED)`);
  });

  it('missing key file and bad URLs', async () => {
    const missing = await failure({
      url: sshd.url(),
      privateKeyFile: join(scratch, 'nope'),
      knownHostsFile: sshd.knownHosts,
    });
    expect(missing.message).toContain(`cannot read private key ${join(scratch, 'nope')}: ENOENT`);
    for (const url of ['http://host', 'ssh://user:pw@host', 'ssh://host/path', 'not a url']) {
      await expect(openTarget({ ssh: { url } }), url).rejects.toThrow(/--target/);
    }
    await expect(openTarget({ root: '/', ssh: { url: sshd.url() } })).rejects.toThrow(/give one/);
  });
});
