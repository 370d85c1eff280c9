/**
 * The reference side of the differential suite: real `oscap` (live) and `oscap-chroot` (offline
 * root, through a read-only bind mount so oscap 1.3.7's dpkginfo probe neither writes into the
 * tree nor misreports the first package, see docs/scap-differences.md), on copies of the SSG data
 * streams with the Benchmark's OS platform removed so the rules apply on Debian 12.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SSG_DIR = '/usr/share/xml/scap/ssg/content';
export const OSCAP = '/usr/bin/oscap';
export const OSCAP_CHROOT = '/usr/bin/oscap-chroot';

export function haveOscap(): boolean {
  return existsSync(OSCAP) && existsSync(OSCAP_CHROOT) && existsSync(join(SSG_DIR, 'ssg-ubuntu2204-ds.xml'));
}

/** A copy of an SSG data stream without the Benchmark-level `cpe:/o:` platform (one per stream). */
export async function strippedDatastream(name: string, dir: string): Promise<string> {
  const text = await readFile(join(SSG_DIR, `ssg-${name}-ds.xml`), 'utf8');
  const stripped = text.replace(/<xccdf-1\.2:platform idref="cpe:\/o:[^"]*"\/>/g, '');
  if (stripped === text) throw new Error(`ssg-${name}-ds.xml: no OS platform to strip`);
  const path = join(dir, `ssg-${name}-any-ds.xml`);
  await writeFile(path, stripped);
  return path;
}

/** Rule results of an XCCDF results file as oscap writes it: rule id -> result (notselected dropped). */
export function parseRuleResults(xml: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<rule-result idref="([^"]+)"[^>]*>[\s\S]*?<result>(\w+)<\/result>/g;
  for (const m of xml.matchAll(re)) {
    if (m[1] && m[2] && m[2] !== 'notselected') out.set(m[1], m[2]);
  }
  return out;
}

export interface OscapRun {
  results: Map<string, string>;
  wallMs: number;
}

export async function runOscap(
  datastream: string,
  profile: string,
  root?: string,
  options: { tailoring?: string } = {},
): Promise<OscapRun> {
  const out = await mkdtemp(join(tmpdir(), 'vouch-oscap-'));
  const results = join(out, 'results.xml');
  const argv = [
    'xccdf',
    'eval',
    ...(options.tailoring ? ['--tailoring-file', options.tailoring] : []),
    '--profile',
    profile,
    '--results',
    results,
    datastream,
  ];
  const start = performance.now();
  try {
    // Exit code 2 means "some rule failed": a normal outcome.
    await run(root ? OSCAP_CHROOT : OSCAP, root ? [root, ...argv] : argv, {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { code?: number }) => {
      if (error.code !== 2) throw error;
    });
    const wallMs = performance.now() - start;
    return { results: parseRuleResults(await readFile(results, 'utf8')), wallMs };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** A read-only bind mount of `source` (root only); returns the mount point and an unmount function. */
export async function readOnlyBindMount(
  source: string,
): Promise<{ path: string; release: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'vouch-ro-'));
  await mkdir(path, { recursive: true });
  await run('mount', ['--bind', source, path]);
  await run('mount', ['-o', 'remount,bind,ro', path]);
  return {
    path,
    release: async () => {
      await run('umount', [path]).catch(() => undefined);
      await rm(path, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
