/**
 * unix:uname_object -> uname_item from uname(2). On Linux oscap reports the machine as both
 * machine_class and processor_type. Offline: not applicable (oscap-chroot has no offline uname).
 */
import type { OvalProbe } from '../../oval-session/probe.js';
import { complete, factFailure, makeItem, notApplicable } from './common.js';

export const unameProbe: OvalProbe = {
  family: 'unix',
  objectType: 'uname_object',
  async collect(_object, ctx) {
    if (!ctx.live) return notApplicable();
    const result = await ctx.fact({ kind: 'uname' });
    if (result.status !== 'ok') return factFailure(result, 'uname');
    const u = result.value;
    return complete([
      makeItem('unix', 'uname_item', [
        ['machine_class', u.machine],
        ['node_name', u.nodename],
        ['os_name', u.sysname],
        ['os_release', u.release],
        ['os_version', u.version],
        ['processor_type', u.machine],
      ]),
    ]);
  },
};
