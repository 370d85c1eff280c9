/**
 * `vouch scan` as a user runs it: the built CLI in a child process, its stdout, stderr and exit code.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const VOUCH = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function vouch(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [VOUCH, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function tree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-cli-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const rule = (id: string, match: string) => `id: ${id}
title: ${id}
description: test rule
rationale: test
severity: medium
check:
  type: file-content
  spec:
    path: /etc/app.conf
    match: '${match}'
`;

async function smallContent(): Promise<string> {
  return tree({
    'variables.yaml': 'max_tries:\n  type: number\n  default: 4\n  min: 1\n  max: 10\n',
    'rules/app/app-enabled.yaml': rule('app-enabled', '^enabled=yes$'),
    'rules/app/app-secure.yaml': rule('app-secure', '^secure=yes$'),
    'profiles/app.yaml': 'id: app\ntitle: App\nplatforms: [debian]\nselect: ["*"]\n',
  });
}

async function smallRoot(conf: string): Promise<string> {
  return tree({
    'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
    'etc/app.conf': conf,
  });
}

describe('vouch scan', () => {
  it('exits 2 when a rule fails and 0 when all pass, with a JSON report', async () => {
    const content = await smallContent();
    const failing = await vouch([
      'scan',
      '--content',
      content,
      '--root',
      await smallRoot('enabled=yes\n'),
      '--format',
      'json',
    ]);
    expect(failing.code, failing.stderr).toBe(2);
    const report = JSON.parse(failing.stdout);
    expect(report.schema).toBe('vouch.scan-result/v1');
    expect(report.profile.id).toBe('app');
    expect(report.results.map((r: { ruleId: string; status: string }) => [r.ruleId, r.status])).toEqual([
      ['app-enabled', 'pass'],
      ['app-secure', 'fail'],
    ]);
    expect(report.summary.counts).toMatchObject({ pass: 1, fail: 1 });

    const passing = await vouch([
      'scan',
      '--content',
      content,
      '--root',
      await smallRoot('enabled=yes\nsecure=yes\n'),
      '--format',
      'json',
    ]);
    expect(passing.code, passing.stderr).toBe(0);
  });

  it('filters rules with --rule and writes --output in the format its name implies', async () => {
    const out = join(await tree({}), 'report.sarif');
    const run = await vouch([
      'scan',
      '--content',
      await smallContent(),
      '--root',
      await smallRoot(''),
      '--rule',
      'app-sec*',
      '--output',
      out,
    ]);
    expect(run.code, run.stderr).toBe(2);
    const sarif = JSON.parse(await readFile(out, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['app-secure']);
  });

  it.each([
    ['a missing root directory', async () => ['--root', '/nonexistent/rootfs'], /\/nonexistent\/rootfs/],
    [
      'an unknown variable',
      async () => ['--root', await smallRoot(''), '--var', 'max_trys=3'],
      /--var max_trys: unknown variable \(known: max_tries\)/,
    ],
    [
      'a variable out of range',
      async () => ['--root', await smallRoot(''), '--var', 'max_tries=11'],
      /max_tries.*must be <= 10/,
    ],
    [
      'an unknown format',
      async () => ['--root', await smallRoot(''), '--format', 'pdf'],
      /--format pdf: unknown format \(known: table, json, html, junit, sarif\)/,
    ],
    [
      'an unknown profile',
      async () => ['--root', await smallRoot(''), '--profile', 'nope'],
      /unknown profile "nope" \(known: app\)/,
    ],
  ])('rejects %s with a one-line error and exit code 1', async (_name, args, message) => {
    const run = await vouch(['scan', '--content', await smallContent(), ...(await args())]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
  });

  it('names file, line and field of malformed content', async () => {
    const content = await smallContent();
    await writeFile(
      join(content, 'rules/app/app-secure.yaml'),
      rule('app-secure', 'x').replace('type: file-content', 'type: file-contents'),
    );
    const run = await vouch(['scan', '--content', content, '--root', await smallRoot('')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /app-secure\.yaml:7: check\.type: unknown check type "file-contents" \(known: .*file-content.*\)/,
    );
  });

  it('prints a stack trace only with --debug', async () => {
    const run = await vouch([
      '--debug',
      'scan',
      '--content',
      await smallContent(),
      '--root',
      '/nonexistent/rootfs',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
