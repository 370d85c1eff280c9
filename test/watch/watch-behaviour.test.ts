/**
 * The watcher's edge cases on small temporary root filesystems (real files, real inotify): bursts,
 * replace-by-rename, delete-then-recreate, directories that appear later, sinks that fail or hang.
 * Each root holds a Debian os-release, /etc/shadow and whatever the case needs; two rules read them:
 * file-perm-etc-shadow (a stat fact) and sysctl-net-ipv4-ip-forward (the sysctl.d drop-in glob).
 */
import { chmodSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DriftEvent } from '../../src/core/drift.js';
import { type DriftSink, startWatch, type WatchHandle } from '../../src/watch/index.js';
import { recordDrift } from './drift-recorder.js';

const OS_RELEASE =
  'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n';
const RULES = ['file-perm-etc-shadow', 'sysctl-net-ipv4-ip-forward'];
const FORWARD = 'sysctl-net-ipv4-ip-forward';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tinyRoot(files: Record<string, string> = {}): { root: string; path: (p: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'vouch-watch-unit-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const path = (p: string): string => join(root, p);
  const all: Record<string, string> = {
    'etc/os-release': OS_RELEASE,
    'etc/shadow': 'root:*:19000:0:99999:7:::\n',
    ...files,
  };
  for (const [name, text] of Object.entries(all)) {
    mkdirSync(dirname(path(name)), { recursive: true });
    writeFileSync(path(name), text);
  }
  chmodSync(path('etc/shadow'), 0o640);
  return { root, path };
}

async function watchRoot(root: string, sinks: DriftSink[] = []): Promise<WatchHandle> {
  const watch = startWatch({ root, rules: RULES, pollIntervalMs: 0, sinks });
  cleanups.push(() => watch.stop());
  await watch.ready;
  return watch;
}

const summary = (events: DriftEvent[]): string[] => events.map((e) => `${e.kind} ${e.rule.id}`);

describe('vouch watch on small roots', () => {
  it('debounces a burst into one rescan that evaluates the final state', async () => {
    const { root, path } = tinyRoot({ 'etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' });
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    const rescans = drift.rescans.length;
    for (let i = 0; i < 100; i++)
      writeFileSync(path('etc/sysctl.d/60-net.conf'), `net.ipv4.ip_forward = ${i % 2}\n`);
    await drift.next((e) => e.rule.id === FORWARD && e.kind === 'drift');
    await watch.settled();
    expect(summary(drift.events)).toEqual([`drift ${FORWARD}`]);
    expect(drift.rescans.slice(rescans).filter((r) => r.reasons.includes('change'))).toHaveLength(1);
  });

  it('emits nothing for a burst that ends where it began', async () => {
    const { root, path } = tinyRoot({ 'etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' });
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    const rescanned = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no rescan within 5 s')), 5000);
      watch.on('rescan', (info) => {
        if (!info.reasons.includes('change')) return;
        clearTimeout(timer);
        resolve();
      });
    });
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 1\n');
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 0\n');
    chmodSync(path('etc/shadow'), 0o644);
    chmodSync(path('etc/shadow'), 0o640);
    // Wait for the rescan the burst caused, then check it found no change of status.
    await rescanned;
    await watch.settled();
    expect(drift.events).toEqual([]);
  });

  it('follows a file replaced by rename (editors, sed -i), including its mode', async () => {
    const { root, path } = tinyRoot();
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    writeFileSync(path('etc/shadow.new'), 'root:*:19000:0:99999:7:::\n', { mode: 0o644 });
    chmodSync(path('etc/shadow.new'), 0o644);
    renameSync(path('etc/shadow.new'), path('etc/shadow'));
    const broken = await drift.next((e) => e.rule.id === 'file-perm-etc-shadow');
    expect(broken).toMatchObject({ kind: 'drift', trigger: { paths: ['/etc/shadow'] } });
    // The watch survives the replacement: the next rename-over is seen as well.
    writeFileSync(path('etc/shadow.new'), 'root:*:19000:0:99999:7:::\n');
    chmodSync(path('etc/shadow.new'), 0o600);
    renameSync(path('etc/shadow.new'), path('etc/shadow'));
    await drift.next((e) => e.rule.id === 'file-perm-etc-shadow' && e.kind === 'resolved');
    await watch.settled();
    expect(summary(drift.events)).toEqual(['drift file-perm-etc-shadow', 'resolved file-perm-etc-shadow']);
  });

  it('survives a deleted file and sees it recreated', async () => {
    const { root, path } = tinyRoot();
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    unlinkSync(path('etc/shadow'));
    const gone = await drift.next((e) => e.rule.id === 'file-perm-etc-shadow');
    expect(gone).toMatchObject({ kind: 'drift', previousStatus: 'pass', status: 'fail' });
    writeFileSync(path('etc/shadow'), 'root:*:19000:0:99999:7:::\n');
    chmodSync(path('etc/shadow'), 0o640);
    await drift.next((e) => e.rule.id === 'file-perm-etc-shadow' && e.kind === 'resolved');
  });

  it('a file deleted and recreated within one burst is evaluated once, as recreated', async () => {
    const { root, path } = tinyRoot({ 'etc/sysctl.d/60-net.conf': 'net.ipv4.ip_forward = 0\n' });
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    unlinkSync(path('etc/sysctl.d/60-net.conf'));
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 1\n');
    const event = await drift.next((e) => e.rule.id === FORWARD);
    expect(event.evidence).toContainEqual(
      expect.objectContaining({ resource: '/etc/sysctl.d/60-net.conf', found: '1' }),
    );
    await watch.settled();
    expect(summary(drift.events)).toEqual([`drift ${FORWARD}`]);
  });

  it('watches directories that appear later, two levels deep', async () => {
    // Neither /etc/sysctl.d nor /run exists: their nearest existing ancestors are watched.
    const { root, path } = tinyRoot();
    const watch = await watchRoot(root);
    const drift = recordDrift(watch);
    mkdirSync(path('etc/sysctl.d'));
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 0\n');
    const resolved = await drift.next((e) => e.rule.id === FORWARD);
    expect(resolved).toMatchObject({ kind: 'resolved', status: 'pass' });
    // The new directory is watched now: a file written into it later is seen too.
    await watch.settled();
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 1\n');
    await drift.next((e) => e.rule.id === FORWARD && e.kind === 'drift');
    writeFileSync(path('etc/sysctl.d/60-net.conf'), 'net.ipv4.ip_forward = 0\n');
    await drift.next((e) => e.rule.id === FORWARD && e.kind === 'resolved' && drift.events.length === 3);
    // /run/sysctl.d, two missing levels; 99-z sorts after 60-net, so its value is the one applied.
    mkdirSync(path('run/sysctl.d'), { recursive: true });
    writeFileSync(path('run/sysctl.d/99-z.conf'), 'net.ipv4.ip_forward = 1\n');
    const deep = await drift.next(
      (e) => e.rule.id === FORWARD && e.kind === 'drift' && drift.events.length === 4,
    );
    expect(deep.evidence).toContainEqual(expect.objectContaining({ resource: '/run/sysctl.d/99-z.conf' }));
  });

  it('a failing or hanging sink never blocks the watcher or the other sinks', async () => {
    const { root, path } = tinyRoot();
    const delivered: DriftEvent[] = [];
    const sinks: DriftSink[] = [
      { name: 'throws', deliver: () => Promise.reject(new Error('channel down')) },
      {
        name: 'throws synchronously',
        deliver: () => {
          throw new Error('bug');
        },
      },
      { name: 'hangs', deliver: () => new Promise(() => {}) },
      {
        name: 'records',
        deliver: async (event) => {
          event.timestamps.alertSentAt = new Date().toISOString();
          delivered.push(event);
        },
      },
    ];
    const watch = startWatch({ root, rules: RULES, pollIntervalMs: 0, sinks, flushMs: 50 });
    const warnings: string[] = [];
    watch.on('warning', (message) => warnings.push(message));
    const drift = recordDrift(watch);
    await watch.ready;
    chmodSync(path('etc/shadow'), 0o644);
    await drift.next((e) => e.kind === 'drift');
    chmodSync(path('etc/shadow'), 0o640);
    await drift.next((e) => e.kind === 'resolved');
    await watch.stop();
    expect(summary(delivered)).toEqual(['drift file-perm-etc-shadow', 'resolved file-perm-etc-shadow']);
    // Each sink gets its own copy: the recording sink's alertSentAt is not on the emitted event.
    expect(delivered[0]?.timestamps.alertSentAt).toBeDefined();
    expect(drift.events[0]?.timestamps.alertSentAt).toBeUndefined();
    expect(warnings.filter((w) => w.includes('channel down'))).toHaveLength(2);
    expect(warnings.filter((w) => w.includes('bug'))).toHaveLength(2);
  });

  it('streams events through the async iterator until stop()', async () => {
    const { root, path } = tinyRoot();
    const watch = await watchRoot(root);
    const seen: DriftEvent[] = [];
    const consumed = (async () => {
      for await (const event of watch.events) seen.push(event);
    })();
    const drift = recordDrift(watch);
    chmodSync(path('etc/shadow'), 0o604);
    await drift.next((e) => e.kind === 'drift');
    await watch.stop();
    await consumed;
    expect(summary(seen)).toEqual(['drift file-perm-etc-shadow']);
  });
});
