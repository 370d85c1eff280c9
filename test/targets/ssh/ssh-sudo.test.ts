/**
 * `sudo` on the SSH target with a non-root account: sshd (in a private mount namespace) chroots the
 * session into an overlay of the hardened fixture that adds the account and a NOPASSWD sudoers rule.
 * What the account cannot read over SFTP (/etc/shadow, /root) is read through `sudo -n`; commands
 * run as root; and the whole profile scans the same as it does for root.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/results.js';
import { openScanSession, runSessionScan } from '../../../src/scan/run-scan.js';
import { openSshTransport, type SshTransport } from '../../../src/targets/ssh/ssh-transport.js';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { type Sshd, sshdAvailable, startSshd, unshareAvailable } from './sshd-harness.js';

const hardened = fixtureRoot('hardened');

/** A host account sshd can log in (a real shell); the chroot gets the same name and uid. */
function hostAccount(): { name: string; uid: number; gid: number } | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , uid, gid, , , shell] = line.split(':');
    if (!name || name === 'root' || !/\/(bash|sh|dash)$/.test(shell ?? '')) continue;
    return { name, uid: Number(uid), gid: Number(gid) };
  }
  return undefined;
}

const account = hostAccount();
const runnable = sshdAvailable() && unshareAvailable() && hardened !== undefined && account !== undefined;

describe.skipIf(!runnable)('SSH target with sudo for a non-root account', () => {
  const user = account as NonNullable<typeof account>;
  const lower = hardened as string;
  let sshd: Sshd;
  let asRoot: SshTransport;
  let plain: SshTransport;
  let sudo: SshTransport;

  beforeAll(async () => {
    const read = (path: string) => readFileSync(join(lower, path), 'utf8');
    // Inside the chroot, sudo knows the account by its uid in the chroot's passwd: reuse the
    // fixture's account of that uid when there is one, else add the host's.
    const passwd = read('etc/passwd');
    const existing = passwd.split('\n').find((line) => line.split(':')[2] === String(user.uid));
    const chrootName = existing?.split(':')[0] ?? user.name;
    const files: Record<string, { text: string; mode: number }> = {
      'etc/sudoers.d/90-vouch-test': { text: `${chrootName} ALL=(root) NOPASSWD: ALL\n`, mode: 0o440 },
      // sudo resolves the host name and warns on stderr when it cannot.
      'etc/hosts': { text: `${read('etc/hosts')}127.0.1.1 ${hostname()}\n`, mode: 0o644 },
    };
    if (!existing) {
      files['etc/passwd'] = {
        text: `${passwd}${user.name}:x:${user.uid}:${user.gid}::/:/bin/bash\n`,
        mode: 0o644,
      };
      files['etc/group'] = { text: `${read('etc/group')}${user.name}:x:${user.gid}:\n`, mode: 0o644 };
      files['etc/shadow'] = { text: `${read('etc/shadow')}${user.name}:*:19000:0:99999:7:::\n`, mode: 0o640 };
    }
    sshd = await startSshd({
      users: ['root', user.name],
      // Host accounts other than root are usually password-locked; PAM lets a key in anyway.
      usePam: true,
      overlay: {
        lower,
        files,
      },
    });
    const base = { privateKeyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts };
    asRoot = await openSshTransport({ url: sshd.url(), ...base });
    plain = await openSshTransport({ url: sshd.url(user.name), ...base });
    sudo = await openSshTransport({ url: sshd.url(user.name), ...base, sudo: true });
  });

  afterAll(async () => {
    for (const transport of [asRoot, plain, sudo]) await transport?.close();
    await sshd?.stop();
  });

  it('without sudo, root-only files are refused', async () => {
    await expect(plain.readFile('/etc/shadow', 1 << 20)).rejects.toThrow(/cannot read \/etc\/shadow: EACCES/);
    await expect(plain.readdir('/root')).rejects.toThrow(/cannot list \/root: EACCES/);
    await expect(plain.lstat('/root/.bashrc')).rejects.toThrow(/EACCES/);
    expect((await plain.exec(['id', '-u'], { timeoutMs: 20_000 })).stdout).toBe(`${user.uid}\n`);
  });

  it('with sudo, reads fall back to sudo -n and answer as root does', async () => {
    expect(sudo.description).toBe(`ssh ${user.name}@127.0.0.1:${sshd.port} (sudo)`);
    const shadow = await sudo.readFile('/etc/shadow', 1 << 20);
    expect(shadow).toEqual(await asRoot.readFile('/etc/shadow', 1 << 20));
    expect(shadow?.data.toString()).toContain('root:');
    const truncated = await sudo.readFile('/etc/shadow', 10);
    expect(truncated).toEqual({ data: shadow?.data.subarray(0, 10), truncated: true });
    expect(await sudo.readdir('/root')).toEqual(await asRoot.readdir('/root'));
    for (const path of ['/root/.bashrc', '/root/.ssh', '/root/missing']) {
      expect(await sudo.lstat(path), path).toEqual(await asRoot.lstat(path));
      expect(await sudo.realpath(path), path).toBe(await asRoot.realpath(path));
      expect(await sudo.readlink(path), path).toBe(await asRoot.readlink(path));
    }
    expect(await sudo.readFile('/root/missing', 100)).toBeNull();
    expect((await sudo.exec(['id', '-u'], { timeoutMs: 20_000 })).stdout).toBe('0\n');
  });

  it('scans the hardened profile exactly as root does', async () => {
    const scan = async (transport: SshTransport): Promise<ScanResult> => {
      const session = await openScanSession({
        transport,
        profile: 'cis-debian12-level2-server',
        cacheDir: null,
      });
      return (await runSessionScan(session)).result;
    };
    const comparable = (r: ScanResult['results'][number]) =>
      JSON.stringify([r.ruleId, r.status, r.message, r.evidence]).replace(
        /\d+ entries walked/g,
        'N entries walked',
      );
    const [rootScan, sudoScan, plainScan] = [await scan(asRoot), await scan(sudo), await scan(plain)];
    expect(sudoScan.results.map(comparable)).toEqual(rootScan.results.map(comparable));
    // Without sudo the same account cannot see everything: some results differ.
    expect(plainScan.results.map(comparable)).not.toEqual(rootScan.results.map(comparable));
  }, 300_000);
});
