/**
 * Runtime-only facts read from /proc: `sysctl-runtime`, `loaded-modules`, `mounts`. They describe a
 * running kernel, so they are unavailable on an offline root (whose /proc, if any, is empty or the
 * build host's) and volatile on a live one (no file fingerprint signals a change).
 */
import type { SysctlRuntimeRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { SysctlRuntimeValue } from '../core/facts/fact-values.js';
import { parseMountTable } from '../targets/mount-table.js';
import type { Transport } from '../targets/transport.js';
import { collect, offline } from './collector.js';
import { readText } from './read-text.js';

/**
 * `net.ipv4.ip_forward` -> `/proc/sys/net/ipv4/ip_forward`; keys already in path form (needed for
 * interface names holding dots, `net/ipv4/conf/eth0.100/rp_filter`) are kept. Null for a key that
 * is empty, has empty components or climbs with `..` (it must not read outside /proc/sys).
 */
export function sysctlPath(key: string): string | null {
  const parts = key.includes('/') ? key.replace(/^\/+/, '').split('/') : key.split('.');
  if (parts.some((part) => part === '' || part === '.' || part === '..')) return null;
  return `/proc/sys/${parts.join('/')}`;
}

export function collectSysctlRuntime(
  transport: Transport,
  request: SysctlRuntimeRequest,
): Promise<FactResult<'sysctl-runtime'>> {
  return collect(transport, async (sources) => {
    if (!transport.live) return offline(transport, `sysctl ${request.key}`);
    const path = sysctlPath(request.key);
    if (path === null)
      return { status: 'error', message: `invalid sysctl key ${JSON.stringify(request.key)}` };
    const read = await readText(sources, path, 1024 * 1024);
    const value: SysctlRuntimeValue = { key: request.key, exists: read.text !== undefined };
    // Only the trailing newline goes: multi-value parameters keep their tab separators.
    if (read.text !== undefined) {
      value.value = read.text.replace(/\n$/, '');
      value.newlineTerminated = read.text.endsWith('\n');
    }
    return { status: 'ok', value, volatile: true };
  });
}

export function collectLoadedModules(transport: Transport): Promise<FactResult<'loaded-modules'>> {
  return collect(transport, async (sources) => {
    if (!transport.live) return offline(transport, 'the list of loaded kernel modules');
    const read = await readText(sources, '/proc/modules');
    const modules = (read.text ?? '')
      .split('\n')
      .map((line) => line.split(' ')[0] ?? '')
      .filter((name) => name !== '');
    return { status: 'ok', value: { modules }, volatile: true };
  });
}

export function collectMounts(transport: Transport): Promise<FactResult<'mounts'>> {
  return collect(transport, async (sources) => {
    if (!transport.live) return offline(transport, 'the mount table');
    const read = await readText(sources, '/proc/mounts');
    if (read.text === undefined) return { status: 'error', message: 'cannot read /proc/mounts' };
    return { status: 'ok', value: { mounts: parseMountTable(read.text) }, volatile: true };
  });
}
