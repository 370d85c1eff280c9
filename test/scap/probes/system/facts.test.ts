/**
 * The facts added for the system probes, collected for real: on this host (live) and on a temp
 * root (offline), through createFactProvider.
 */
import { hostname, machine, release } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactProvider } from '../../../../src/collectors/index.js';
import { createLocalTransport, openRootDirTransport } from '../../../../src/targets/index.js';
import { makeTree, removeTree } from '../../../../src/targets/temp-tree.js';

describe('system facts on this host (live)', () => {
  const provider = createFactProvider(createLocalTransport());

  it('sysctl-list: readable parameters by dotted name, write-only ones left out', async () => {
    const started = performance.now();
    const result = await provider.collect({ kind: 'sysctl-list' });
    const elapsed = performance.now() - started;
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    const names = new Set(result.value.entries.map((entry) => entry.name));
    expect(names.has('kernel.randomize_va_space')).toBe(true);
    expect(names.has('net.ipv4.ip_forward')).toBe(true);
    expect(names.has('vm.compact_memory')).toBe(false); // mode 0200
    expect(result.value.entries.find((e) => e.name === 'net.ipv4.ip_forward')?.key).toBe(
      'net/ipv4/ip_forward',
    );
    expect(result.volatile).toBe(true);
    expect(elapsed).toBeLessThan(5000);
  });

  it('uname: what uname(2) says', async () => {
    const result = await provider.collect({ kind: 'uname' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.value).toMatchObject({
      sysname: 'Linux',
      nodename: hostname(),
      release: release(),
      machine: machine(),
    });
  });

  it('process-environment without pid: this process', async () => {
    const result = await provider.collect({ kind: 'process-environment' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.value.pid).toBe(process.pid);
    expect(result.value.variables.find((v) => v.name === 'PATH')?.value).toBeTypeOf('string');
  });

  it('filesystem-usage of /: blocks and the options of the mount holding it', async () => {
    const result = await provider.collect({ kind: 'filesystem-usage', path: '/' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.value.exists).toBe(true);
    expect(result.value.blocks).toBeGreaterThan(0);
    expect(result.value.blocksFree).toBeLessThanOrEqual(result.value.blocks ?? 0);
    expect(result.value.mountOptions?.length).toBeGreaterThan(0);
  });

  it('network-interfaces: loopback is there, up and running', async () => {
    const result = await provider.collect({ kind: 'network-interfaces' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    const lo = result.value.interfaces.find((i) => i.name === 'lo');
    expect(lo?.arpType).toBe(772);
    expect((lo?.flags ?? 0) & 0x49).toBe(0x49);
    expect(lo?.addresses.some((a) => a.address === '127.0.0.1' && a.netmask === '255.0.0.0')).toBe(true);
  });
});

describe('system facts on an offline root', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTree({
      '/var/lib/dpkg/status':
        'Package: a\nStatus: install ok unpacked\nArchitecture: amd64\nVersion: 1\n\nPackage: b\nStatus: purge ok not-installed\n',
      '/proc/7/environ': 'X=1\0Y\0',
    });
  });
  afterAll(async () => removeTree(root));

  it('runtime facts are unavailable', async () => {
    const provider = createFactProvider(await openRootDirTransport(root));
    for (const kind of ['sysctl-list', 'uname', 'network-interfaces', 'process-environment'] as const) {
      const result = await provider.collect({ kind });
      expect([kind, result.status]).toEqual([kind, 'unavailable']);
    }
  });

  it('dpkg-status keeps every paragraph with its state', async () => {
    const provider = createFactProvider(await openRootDirTransport(root));
    const result = await provider.collect({ kind: 'dpkg-status' });
    if (result.status !== 'ok') throw new Error(JSON.stringify(result));
    expect(result.value).toEqual({
      exists: true,
      entries: [
        { name: 'a', status: 'install ok unpacked', version: '1', arch: 'amd64' },
        { name: 'b', status: 'purge ok not-installed', version: '', arch: '' },
      ],
    });
  });

  it('an explicit pid reads <root>/proc/PID/environ; statfs works inside the root', async () => {
    const provider = createFactProvider(await openRootDirTransport(root));
    const env = await provider.collect({ kind: 'process-environment', pid: 7 });
    expect(env.status === 'ok' && env.value).toEqual({
      pid: 7,
      exists: true,
      variables: [{ name: 'X', value: '1' }],
    });
    const missing = await provider.collect({ kind: 'process-environment', pid: 8 });
    expect(missing.status === 'ok' && missing.value.exists).toBe(false);
    const usage = await provider.collect({ kind: 'filesystem-usage', path: '/var' });
    expect(usage.status === 'ok' && usage.value.exists).toBe(true);
    const absent = await provider.collect({ kind: 'filesystem-usage', path: '/nope' });
    expect(absent.status === 'ok' && absent.value.exists).toBe(false);
  });
});
