/**
 * The agentless SSH target against a real OpenSSH server on loopback: the same profile scanned
 * over SSH gives the same per-rule results as scanning the same filesystem directly.
 *
 * Two comparisons:
 * - this machine: local transport vs SSH to 127.0.0.1 (same kernel, same /proc): every rule must
 *   agree. Only the walk's entry count, and walk findings in temp directories, may differ: other
 *   processes (other tests) create and delete files between the two walks.
 * - the hardened Debian fixture: `--root` vs sshd chrooted into it (ChrootDirectory). Rules reading
 *   runtime state (commands, runtime sysctl, loaded modules, live mounts) legitimately differ: the
 *   root scan reports them as not checkable offline, while the chrooted session is live but has no
 *   /proc and runs commands without a kernel view. Every other rule must agree.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/core/results.js';
import { openScanSession, runSessionScan } from '../../../src/scan/run-scan.js';
import { openTarget, type TargetOptions } from '../../../src/targets/index.js';
import { fixtureRoot } from '../../helpers/fixtures.js';
import { type Sshd, sshdAvailable, startSshd } from './sshd-harness.js';

const PROFILE = 'cis-debian12-level2-server';
/** Fact kinds that only a running system answers. */
const RUNTIME_KINDS = new Set(['command', 'sysctl-runtime', 'loaded-modules', 'mounts']);

interface Scanned {
  result: ScanResult;
  /** Rules whose facts include a runtime-only kind. */
  runtimeRules: Set<string>;
  /** Rules judged on the filesystem walk. */
  walkRules: Set<string>;
}

/** Where files come and go while the suite runs (other tests' temp trees). */
const VOLATILE = /^\/(tmp|var\/tmp|dev\/shm|run)\//;

async function scan(target: TargetOptions, profile?: string): Promise<Scanned> {
  const transport = await openTarget(target);
  try {
    const session = await openScanSession({ transport, profile, cacheDir: null });
    const { result } = await runSessionScan(session);
    const runtimeRules = new Set<string>();
    const walkRules = new Set<string>();
    const requests = session.engine.factRequests();
    for (const [key, ruleIds] of session.engine.factIndex()) {
      const kind = requests.get(key)?.kind;
      if (kind !== undefined && RUNTIME_KINDS.has(kind)) for (const id of ruleIds) runtimeRules.add(id);
      if (kind === 'walk') for (const id of ruleIds) walkRules.add(id);
    }
    return { result, runtimeRules, walkRules };
  } finally {
    await transport.close();
  }
}

/** What must agree for one rule; the walk's visited count is masked (see the header). */
function comparable(result: ScanResult['results'][number]): string {
  return JSON.stringify({
    status: result.status,
    message: result.message,
    evidence: result.evidence,
  }).replace(/\d+ entries walked/g, 'N entries walked');
}

/** The files a walk rule found, outside the volatile directories. */
function steadyFindings(result: ScanResult['results'][number]): string[] {
  return result.evidence
    .map((item) => item.resource)
    .filter((resource) => resource !== '/' && !VOLATILE.test(resource))
    .sort();
}

/**
 * Rules that differ. `walkRules` may differ only by files in volatile directories: the two walks
 * of a live machine run seconds apart while other tests create and delete temp files.
 */
function differences(a: ScanResult, b: ScanResult, walkRules = new Set<string>()): string[] {
  const other = new Map(b.results.map((result) => [result.ruleId, result]));
  const diffs: string[] = [];
  for (const result of a.results) {
    const peer = other.get(result.ruleId);
    if (!peer) diffs.push(`${result.ruleId}: missing over SSH`);
    else if (comparable(result) !== comparable(peer)) {
      const churn =
        walkRules.has(result.ruleId) &&
        JSON.stringify(steadyFindings(result)) === JSON.stringify(steadyFindings(peer));
      if (!churn) diffs.push(`${result.ruleId}: ${comparable(result)} <> ${comparable(peer)}`);
    }
  }
  return diffs;
}

const hardened = fixtureRoot('hardened');

describe.skipIf(!sshdAvailable())('SSH target vs local scan of this machine', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it('gives the same status, message and evidence for every rule', async () => {
    const local = await scan({}, PROFILE);
    const remote = await scan(
      { ssh: { url: sshd.url(), privateKeyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts } },
      PROFILE,
    );
    expect(remote.result.target.kind).toBe('ssh');
    expect(remote.result.target.description).toBe(`ssh root@127.0.0.1:${sshd.port}`);
    expect(remote.result.results.length).toBe(local.result.results.length);
    expect(remote.result.results.length).toBeGreaterThan(150);
    // Runtime rules are part of this comparison: the SSH session sees the same kernel.
    expect(local.runtimeRules.size).toBeGreaterThan(10);
    expect(local.walkRules.size).toBeGreaterThan(3);
    expect(differences(local.result, remote.result, local.walkRules)).toEqual([]);
  }, 300_000);
});

describe.skipIf(!sshdAvailable() || !hardened)(
  'SSH target chrooted into the hardened fixture vs --root',
  () => {
    let sshd: Sshd;
    beforeAll(async () => {
      sshd = await startSshd({ chroot: hardened as string });
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it('gives the same results for every rule that reads no runtime state', async () => {
      const root = await scan({ root: hardened as string }, PROFILE);
      const remote = await scan(
        { ssh: { url: sshd.url(), privateKeyFile: sshd.clientKey, knownHostsFile: sshd.knownHosts } },
        PROFILE,
      );
      expect(remote.result.results.length).toBe(root.result.results.length);

      // The root scan requests no facts for check types it cannot run (commands): take both sides.
      const runtimeRules = new Set([...root.runtimeRules, ...remote.runtimeRules]);
      const diffs = differences(root.result, remote.result);
      const unexplained = diffs.filter((diff) => !runtimeRules.has(diff.split(':')[0] as string));
      expect(unexplained).toEqual([]);
      // The runtime rules are the only ones allowed to differ; most files rules must be compared.
      const compared = root.result.results.filter((r) => !runtimeRules.has(r.ruleId));
      expect(compared.length).toBeGreaterThan(200);
      expect(compared.filter((r) => r.status === 'pass').length).toBeGreaterThan(150);
      // Offline, the root scan could not check what the live session does see.
      const notchecked = root.result.results.filter((r) => r.status === 'notchecked');
      expect(notchecked.filter((r) => !runtimeRules.has(r.ruleId))).toEqual([]);
    }, 300_000);
  },
);
