/**
 * unix:sysctl_object -> sysctl_item, as oscap 1.3.7 collects it on Linux: every readable file under
 * /proc/sys (write-only ones skipped) is named by its path with '/' -> '.', and each name the object
 * entity matches is read.
 *
 * Value format (OVAL >= 5.10, verified): one `value` entity per line; other control characters
 * also split; tabs stay (`net.ipv4.ip_local_port_range` -> "32768\t60999"); a file returning
 * nothing gives no item, one returning just "\n" an item with one empty value; at most 8191 bytes are read. A file that cannot be read gives an item with status error
 * and no entities, except the per-interface IPv6 `stable_secret`, unreadable until set, which is
 * skipped. Offline: not applicable (oscap-chroot has no offline sysctl).
 */
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, makeItem, notApplicable, requiredEntity } from './common.js';

const MAX_VALUE_BYTES = 8191;

/**
 * Splits a value where oscap does: at '\n' and at characters neither printable nor space, dropping
 * the last part when empty. `value` comes without the kernel's final newline; when there was one
 * (`newlineTerminated`), it is what made oscap's empty last part, so nothing more is dropped:
 * "2\n" -> ["2"], "\n" -> [""].
 */
export function splitSysctlValue(value: string, newlineTerminated = true): string[] {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters ARE the separators
  const parts = value.slice(0, MAX_VALUE_BYTES).split(/[\n\x00-\x08\x0e-\x1f\x7f-\uffff]/);
  if (!newlineTerminated && parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function isStableSecret(key: string): boolean {
  return key.startsWith('net/ipv6/conf/') && key.endsWith('/stable_secret');
}

export const sysctlProbe: OvalProbe = {
  family: 'unix',
  objectType: 'sysctl_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    if (!ctx.live) return notApplicable();
    const name = requiredEntity(object, 'name');
    const list = await ctx.fact({ kind: 'sysctl-list' });
    if (list.status !== 'ok') return factFailure(list, 'kernel parameters');
    const items: ProbeItem[] = [];
    for (const entry of list.value.entries) {
      if (!ctx.matches(name, entry.name)) continue;
      const read = await ctx.fact({ kind: 'sysctl-runtime', key: entry.key });
      if (read.status !== 'ok') {
        if (isStableSecret(entry.key)) continue;
        items.push(makeItem('unix', 'sysctl_item', [], 'error'));
        continue;
      }
      const { exists, value, newlineTerminated } = read.value;
      // A parameter that returns nothing has no value: sysctl(8) and oscap skip it.
      if (!exists || value === undefined || (value === '' && newlineTerminated === false)) continue;
      const values = splitSysctlValue(value, newlineTerminated ?? true);
      items.push(
        makeItem('unix', 'sysctl_item', [
          ['name', entry.name],
          ['value', values],
        ]),
      );
    }
    return complete(items);
  },
};
