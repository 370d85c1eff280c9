/**
 * ind:environmentvariable58_object -> environmentvariable58_item.
 *
 * A nil pid means the scanning process: oscap reads its own /proc/PID/environ; we read Vouch's
 * (`process-environment` without pid, i.e. /proc/self). Offline, oscap-chroot looks for its pid
 * under <root>/proc and finds nothing: "does not exist". oscap 1.3.7 attaches "Can't find process
 * with requested PID." to EVERY collected object (its error flag is never cleared; verified live),
 * so we do too.
 */
import type { ObjectCollection, OvalProbe, ProbeContext, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, int, makeItem, requiredEntity } from './common.js';

export const PID_NOT_FOUND = "Can't find process with requested PID.";

async function pidsOf(
  ctx: ProbeContext,
  pid: ReturnType<typeof requiredEntity>,
): Promise<(number | undefined)[]> {
  if (pid.nil) return ctx.live ? [undefined] : [];
  if (pid.operation === 'equals' && !pid.fromVariable)
    return pid.values.map(Number).filter(Number.isSafeInteger);
  const proc = await ctx.fact({ kind: 'dir-list', path: '/proc' });
  if (proc.status !== 'ok') return [];
  return proc.value.entries
    .filter((entry) => /^\d+$/.test(entry.name) && ctx.matches(pid, entry.name))
    .map((entry) => Number(entry.name));
}

export const environmentVariable58Probe: OvalProbe = {
  family: 'ind',
  objectType: 'environmentvariable58_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const name = requiredEntity(object, 'name');
    const pid = requiredEntity(object, 'pid');
    const items: ProbeItem[] = [];
    for (const wanted of await pidsOf(ctx, pid)) {
      const result = await ctx.fact(
        wanted === undefined ? { kind: 'process-environment' } : { kind: 'process-environment', pid: wanted },
      );
      if (result.status === 'error' && wanted !== undefined) {
        // oscap: an environ it cannot open becomes an error item for that pid; the others go on.
        items.push(makeItem('ind', 'environmentvariable58_item', [['pid', int(wanted)]], 'error'));
        continue;
      }
      if (result.status !== 'ok') return factFailure(result, 'process environment');
      if (!result.value.exists) continue;
      for (const variable of result.value.variables) {
        if (!ctx.matches(name, variable.name)) continue;
        items.push(
          makeItem('ind', 'environmentvariable58_item', [
            ['pid', int(result.value.pid)],
            ['name', variable.name],
            ['value', variable.value],
          ]),
        );
      }
    }
    return complete(items, [PID_NOT_FOUND]);
  },
};
