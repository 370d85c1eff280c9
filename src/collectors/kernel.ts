/**
 * `sysctl-list` and `uname`: the running kernel's parameter names and identity. Runtime state:
 * unavailable on an offline root, volatile on a live one.
 */
import type { FactResult } from '../core/facts/fact-result.js';
import type { SysctlListEntry, UnameValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, offline } from './collector.js';
import { readText } from './read-text.js';

const PROC_SYS = '/proc/sys';
/** oscap's sysctl probe walks /proc/sys to this depth; no parameter lies deeper on Linux. */
const MAX_DEPTH = 7;
const S_IRUSR = 0o400;

/**
 * Every file under /proc/sys the owner may read, depth first in directory order. Write-only
 * entries (`vm/compact_memory`, `net/ipv4/route/flush`) are left out, as sysctl(8) and oscap do.
 */
async function listSysctls(transport: Transport): Promise<SysctlListEntry[]> {
  const entries: SysctlListEntry[] = [];
  const visit = async (relative: string, depth: number): Promise<void> => {
    const dir = relative === '' ? PROC_SYS : `${PROC_SYS}/${relative}`;
    const children = await transport.readdir(dir);
    if (children === null) return;
    for (const child of children) {
      const key = relative === '' ? child.name : `${relative}/${child.name}`;
      if (child.type === 'dir') {
        if (depth < MAX_DEPTH) await visit(key, depth + 1);
        continue;
      }
      const stats = await transport.lstat(`${PROC_SYS}/${key}`).catch(() => null);
      if (stats === null || stats.type === 'dir' || (stats.mode & S_IRUSR) === 0) continue;
      // The dotted name replaces every '/', so an interface named `eth0.100` reads ambiguously:
      // exactly what sysctl(8) and oscap print. `key` keeps the unambiguous path.
      entries.push({ name: key.replaceAll('/', '.'), key });
    }
  };
  await visit('', 1);
  return entries;
}

export function collectSysctlList(transport: Transport): Promise<FactResult<'sysctl-list'>> {
  return collect(transport, async () => {
    if (!transport.live) return offline(transport, 'the list of kernel parameters');
    const stats = await transport.lstat(PROC_SYS);
    if (stats?.type !== 'dir') return { status: 'error', message: `${PROC_SYS} is not mounted` };
    return { status: 'ok', value: { entries: await listSysctls(transport) }, volatile: true };
  });
}

/** uname(2) fields and the /proc/sys/kernel files that mirror them. */
const UNAME_FILES: Record<Exclude<keyof UnameValue, 'machine'>, string> = {
  sysname: '/proc/sys/kernel/ostype',
  nodename: '/proc/sys/kernel/hostname',
  release: '/proc/sys/kernel/osrelease',
  version: '/proc/sys/kernel/version',
};

export function collectUname(transport: Transport): Promise<FactResult<'uname'>> {
  return collect(transport, async (sources) => {
    if (!transport.live) return offline(transport, 'the running kernel');
    const value: UnameValue = { sysname: '', nodename: '', release: '', version: '', machine: '' };
    for (const [field, path] of Object.entries(UNAME_FILES) as [keyof typeof UNAME_FILES, string][]) {
      const read = await readText(sources, path, 64 * 1024);
      if (read.text === undefined) return { status: 'error', message: `cannot read ${path}` };
      value[field] = read.text.replace(/\n$/, '');
    }
    // kernel/arch exists since Linux 6.1; older kernels only tell the machine through uname(2).
    const arch = await readText(sources, '/proc/sys/kernel/arch', 1024);
    if (arch.text !== undefined) {
      value.machine = arch.text.replace(/\n$/, '');
    } else {
      const result = await transport.exec(['uname', '-m'], { timeoutMs: 10_000 });
      if (result.exitCode !== 0)
        return { status: 'error', message: `uname -m failed: ${result.stderr.trim()}` };
      value.machine = result.stdout.trim();
    }
    return { status: 'ok', value, volatile: true };
  });
}
