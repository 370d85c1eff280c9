/** The local host, where its answers are deterministic. */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createLocalTransport } from '../targets/local.js';
import { createFactProvider } from './index.js';
import { sysctlPath } from './runtime.js';

const provider = createFactProvider(createLocalTransport());

describe('collectors on the local host', () => {
  it('reads a runtime sysctl, volatile', async () => {
    const result = await provider.collect({ kind: 'sysctl-runtime', key: 'kernel.ostype' });
    expect(result).toMatchObject({
      status: 'ok',
      volatile: true,
      value: { key: 'kernel.ostype', exists: true, value: 'Linux' },
    });
    expect(await provider.collect({ kind: 'sysctl-runtime', key: 'no.such.key' })).toMatchObject({
      status: 'ok',
      value: { exists: false },
    });
    expect(await provider.collect({ kind: 'sysctl-runtime', key: 'net/../../../etc/passwd' })).toMatchObject({
      status: 'error',
    });
  });

  it.each([
    ['net.ipv4.ip_forward', '/proc/sys/net/ipv4/ip_forward'],
    ['net/ipv4/conf/eth0.100/rp_filter', '/proc/sys/net/ipv4/conf/eth0.100/rp_filter'],
    ['net..ipv4', null],
    ['net/../../etc/passwd', null],
    ['', null],
  ])('sysctl %s -> %s', (key, path) => {
    expect(sysctlPath(key)).toBe(path);
  });

  it('reads the mount table and loaded modules', async () => {
    const mounts = await provider.collect({ kind: 'mounts' });
    expect(mounts).toMatchObject({ status: 'ok', volatile: true });
    const points =
      mounts.status === 'ok'
        ? (mounts.value as { mounts: Array<{ mountPoint: string }> }).mounts.map((mount) => mount.mountPoint)
        : [];
    expect(points).toContain('/');
    const modules = await provider.collect({ kind: 'loaded-modules' });
    expect(modules).toMatchObject({ status: 'ok', volatile: true, value: { modules: expect.any(Array) } });
  });

  it('runs commands, volatile', async () => {
    expect(await provider.collect({ kind: 'command', argv: ['printf', '%s', 'a b'] })).toMatchObject({
      status: 'ok',
      volatile: true,
      value: { exitCode: 0, stdout: 'a b', timedOut: false },
    });
    expect(await provider.collect({ kind: 'command', argv: [] })).toMatchObject({ status: 'error' });
  });

  it('agrees with the host os-release and passwd', async () => {
    const passwd = await provider.collect({ kind: 'passwd' });
    const lines = (await readFile('/etc/passwd', 'utf8'))
      .split('\n')
      .filter((line) => /^[^#+-].*:/.test(line));
    expect(passwd.status === 'ok' && (passwd.value as { entries: unknown[] }).entries.length).toBe(
      lines.length,
    );
    expect(await provider.collect({ kind: 'os-release' })).toMatchObject({
      status: 'ok',
      value: { id: expect.any(String) },
    });
  });

  it.runIf(existsSync('/var/lib/dpkg/status') && existsSync('/usr/bin/dpkg-query'))(
    'lists the same installed packages as dpkg-query',
    async () => {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own ${field} syntax
      const format = '${db:Status-Status} ${Package}\n';
      const query = execFileSync('dpkg-query', ['-W', '-f', format], {
        encoding: 'utf8',
      });
      const installed = new Set(
        query
          .split('\n')
          .filter((line) => /^(installed|triggers-pending|triggers-awaited) /.test(line))
          .map((line) => line.split(' ')[1]),
      );
      const result = await provider.collect({ kind: 'packages' });
      if (result.status !== 'ok') throw new Error(JSON.stringify(result));
      expect(result.value.manager).toBe('dpkg');
      expect(new Set(Object.keys(result.value.packages))).toEqual(installed);
    },
  );

  it('reads a unit from disk, and asks systemd (volatile) only where systemd runs', async () => {
    const result = await provider.collect({ kind: 'systemd-unit', unit: 'vouch-no-such-unit.service' });
    expect(result).toMatchObject({
      status: 'ok',
      value: { unit: 'vouch-no-such-unit.service', unitFile: null, masked: false, wantedBy: [] },
    });
    // sd_booted(3): systemd is the running init exactly when /run/systemd/system is a directory.
    const systemdRuns = statSync('/run/systemd/system', { throwIfNoEntry: false })?.isDirectory() ?? false;
    expect(result.volatile === true).toBe(systemdRuns);
  });
});
