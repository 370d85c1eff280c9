import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRootDirTransport } from '../targets/root-dir.js';
import { makeTree } from '../targets/temp-tree.js';
import { createFactProvider } from './index.js';
import { PassMemo } from './pass-memo.js';

describe('PassMemo', () => {
  it('loads once per key inside a pass and every time outside one', async () => {
    const memo = new PassMemo();
    let loads = 0;
    const load = async () => ++loads;
    expect([await memo.get('k', load), await memo.get('k', load)]).toEqual([1, 2]);
    memo.begin();
    expect([await memo.get('k', load), await memo.get('k', load)]).toEqual([3, 3]);
    memo.end();
    memo.begin();
    expect(await memo.get('k', load)).toBe(4);
  });
});

describe('systemd enablement within and across passes', () => {
  it('shares one wants index among units of a pass and sees links added before the next pass', async () => {
    const dir = await makeTree({
      'usr/lib/systemd/system/cron.service': '[Install]\nWantedBy=multi-user.target\n',
      'usr/lib/systemd/system/ssh.service': '[Install]\nWantedBy=multi-user.target\n',
      'etc/systemd/system/multi-user.target.wants/cron.service': {
        link: '/usr/lib/systemd/system/cron.service',
      },
    });
    const provider = createFactProvider(await openRootDirTransport(dir));
    provider.beginPass?.();
    const [cron, ssh] = await Promise.all([
      provider.collect({ kind: 'systemd-unit', unit: 'cron.service' }),
      provider.collect({ kind: 'systemd-unit', unit: 'ssh.service' }),
    ]);
    provider.endPass?.();
    expect(cron.status === 'ok' && cron.value.wantedBy).toEqual([
      '/etc/systemd/system/multi-user.target.wants/cron.service',
    ]);
    expect(ssh.status === 'ok' && ssh.value.wantedBy).toEqual([]);
    // The wants directory is a source of both facts: enabling ssh must change its fingerprint.
    const wantsDir = '/etc/systemd/system/multi-user.target.wants';
    expect(ssh.sources.map((s) => s.path)).toContain(wantsDir);

    await symlink(
      '/usr/lib/systemd/system/ssh.service',
      join(dir, 'etc/systemd/system/multi-user.target.wants/ssh.service'),
    );
    const before = ssh.sources.find((s) => s.path === wantsDir)?.fingerprint;
    expect((await provider.fingerprint([wantsDir]))[0]).not.toBe(before);
    provider.beginPass?.();
    const again = await provider.collect({ kind: 'systemd-unit', unit: 'ssh.service' });
    provider.endPass?.();
    expect(again.status === 'ok' && again.value.wantedBy).toEqual([
      '/etc/systemd/system/multi-user.target.wants/ssh.service',
    ]);
  });
});
