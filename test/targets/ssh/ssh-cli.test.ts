/**
 * `vouch scan --target ssh://…` as a user runs it: the built CLI against a real sshd on loopback.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { haveOscap, strippedDatastream } from '../../scap/differential/oscap-reference.js';
import { type Sshd, sshdAvailable, startSshd } from './sshd-harness.js';

const VOUCH = fileURLToPath(new URL('../../../bin/vouch.js', import.meta.url));

function vouch(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VOUCH, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe.skipIf(!sshdAvailable())('vouch scan --target ssh://', () => {
  let sshd: Sshd;
  let dir: string;
  let content: string;

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), 'vouch-ssh-cli-'));
    const conf = join(dir, 'app.conf');
    await writeFile(conf, 'enabled=yes\n');
    const files: Record<string, string> = {
      'rules/app/app-enabled.yaml': rule('app-enabled', conf, '^enabled=yes$'),
      'rules/app/app-secure.yaml': rule('app-secure', conf, '^secure=yes$'),
      'profiles/app.yaml': 'id: app\ntitle: App\nselect: ["*"]\n',
    };
    content = join(dir, 'content');
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(content, path)), { recursive: true });
      await writeFile(join(content, path), text);
    }
  });
  afterAll(async () => {
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function rule(id: string, path: string, match: string): string {
    return `id: ${id}\ntitle: ${id}\ndescription: test rule\nrationale: test\nseverity: medium\ncheck:\n  type: file-content\n  spec:\n    path: ${path}\n    match: '${match}'\n`;
  }

  it('scans the host over SSH and reports it as the target', async () => {
    const run = await vouch([
      'scan',
      '--target',
      sshd.url(),
      '--ssh-key',
      sshd.clientKey,
      '--ssh-known-hosts',
      sshd.knownHosts,
      '--content',
      content,
      '--profile',
      'app',
      '--format',
      'json',
      '--no-progress',
    ]);
    expect(run.code, run.stderr).toBe(2);
    const report = JSON.parse(run.stdout);
    expect(report.target).toMatchObject({ kind: 'ssh', description: `ssh root@127.0.0.1:${sshd.port}` });
    expect(report.results.map((r: { ruleId: string; status: string }) => [r.ruleId, r.status])).toEqual([
      ['app-enabled', 'pass'],
      ['app-secure', 'fail'],
    ]);
  });

  it.skipIf(!haveOscap())('evaluates SCAP content over SSH as it does locally', async () => {
    const ds = await strippedDatastream('debian11', dir);
    const args = ['scan', '--datastream', ds, '--profile', 'standard', '--format', 'json', '--no-progress'];
    const rules = [
      '--rule',
      'file_owner_etc_passwd',
      '--rule',
      'file_permissions_etc_shadow',
      '--rule',
      'package_nis_removed',
    ];
    const local = await vouch([...args, ...rules]);
    const remote = await vouch([
      ...args,
      ...rules,
      '--target',
      sshd.url(),
      '--ssh-key',
      sshd.clientKey,
      '--ssh-known-hosts',
      sshd.knownHosts,
    ]);
    expect(remote.stderr).toBe(local.stderr);
    const statuses = (out: string) =>
      JSON.parse(out).results.map((r: { ruleId: string; status: string }) => [r.ruleId, r.status]);
    expect(statuses(remote.stdout)).toEqual(statuses(local.stdout));
    expect(JSON.parse(remote.stdout).target.kind).toBe('ssh');
  });

  it.each([
    [
      'an unknown host key',
      () => ['--target', sshd.url(), '--ssh-key', sshd.clientKey, '--ssh-known-hosts', join(dir, 'none')],
      /^vouch: ssh root@127\.0\.0\.1:\d+: host key of \[127\.0\.0\.1\]:\d+ is unknown/,
    ],
    [
      'a refused key',
      () => ['--target', sshd.url(), '--ssh-key', sshd.wrongKey, '--ssh-known-hosts', sshd.knownHosts],
      /^vouch: ssh root@127\.0\.0\.1:\d+: authentication failed/,
    ],
    ['--ssh-sudo without --target', () => ['--ssh-sudo'], /--ssh-sudo needs --target/],
  ])('fails with one line for %s', async (_name, args, message) => {
    const run = await vouch(['scan', '--content', content, '--profile', 'app', '--no-progress', ...args()]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
