/**
 * linux:systemdunitproperty_object and linux:systemdunitdependency_object.
 *
 * oscap asks systemd over D-Bus. Without a running systemd (sd_booted(): /run/systemd/system is a
 * directory) the connection fails: live oscap flags the object `error`, oscap-chroot `not
 * collected`, both with "DBus connection failed, could not identify systemd units." (verified on
 * this host, whose PID 1 is not systemd, and with oscap-chroot on the fixture root). Where systemd
 * runs we ask systemctl through the `command` fact; see systemctl-output.ts for the mapping.
 */
import type { ObjectCollection, OvalProbe, ProbeContext, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, makeItem, requiredEntity } from './common.js';
import {
  dependencyArgv,
  directDependencies,
  LIST_UNITS_ARGV,
  parseUnitList,
  showArgv,
  unitProperties,
} from './systemctl-output.js';

export const DBUS_FAILED = 'DBus connection failed, could not identify systemd units.';

/** The collection when systemd cannot be asked; null when it can. */
async function noSystemd(ctx: ProbeContext): Promise<ObjectCollection | null> {
  if (!ctx.live) return { flag: 'not collected', items: [], messages: [DBUS_FAILED] };
  const booted = await ctx.fact({ kind: 'stat', path: '/run/systemd/system', follow: true });
  if (booted.status === 'ok' && booted.value.type === 'dir') return null;
  return { flag: 'error', items: [], messages: [DBUS_FAILED] };
}

async function systemctl(ctx: ProbeContext, argv: string[]): Promise<string | ObjectCollection> {
  const result = await ctx.fact({ kind: 'command', argv });
  if (result.status !== 'ok') return factFailure(result, argv.join(' '));
  if (result.value.exitCode !== 0) {
    const detail = result.value.timedOut
      ? 'timed out'
      : result.value.stderr.trim() || `exit ${result.value.exitCode}`;
    return { flag: 'error', items: [], messages: [`${argv.join(' ')}: ${detail}`] };
  }
  return result.value.stdout;
}

export const systemdUnitPropertyProbe: OvalProbe = {
  family: 'linux',
  objectType: 'systemdunitproperty_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const unitEntity = requiredEntity(object, 'unit');
    const propertyEntity = requiredEntity(object, 'property');
    const unavailable = await noSystemd(ctx);
    if (unavailable) return unavailable;
    const list = await systemctl(ctx, LIST_UNITS_ARGV);
    if (typeof list !== 'string') return list;
    const items: ProbeItem[] = [];
    for (const unit of parseUnitList(list)) {
      if (!ctx.matches(unitEntity, unit)) continue;
      const show = await systemctl(ctx, showArgv(unit));
      if (typeof show !== 'string') return show;
      for (const [property, values] of unitProperties(show)) {
        if (!ctx.matches(propertyEntity, property)) continue;
        items.push(
          makeItem('linux', 'systemdunitproperty_item', [
            ['unit', unit],
            ['property', property],
            ['value', values],
          ]),
        );
      }
    }
    return complete(items);
  },
};

export const systemdUnitDependencyProbe: OvalProbe = {
  family: 'linux',
  objectType: 'systemdunitdependency_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const unitEntity = requiredEntity(object, 'unit');
    const unavailable = await noSystemd(ctx);
    if (unavailable) return unavailable;
    const list = await systemctl(ctx, LIST_UNITS_ARGV);
    if (typeof list !== 'string') return list;
    const items: ProbeItem[] = [];
    for (const unit of parseUnitList(list)) {
      if (!ctx.matches(unitEntity, unit)) continue;
      // Depth first like oscap: each dependency once; only targets are expanded (as systemctl
      // list-dependencies does).
      const visited = new Set<string>();
      const dependencies: string[] = [];
      const expand = async (name: string): Promise<ObjectCollection | null> => {
        if (!name.endsWith('.target')) return null;
        const show = await systemctl(ctx, dependencyArgv(name));
        if (typeof show !== 'string') return show;
        for (const dependency of directDependencies(show)) {
          if (visited.has(dependency)) continue;
          visited.add(dependency);
          dependencies.push(dependency);
          const failed = await expand(dependency);
          if (failed) return failed;
        }
        return null;
      };
      const failed = await expand(unit);
      if (failed) return failed;
      items.push(
        makeItem('linux', 'systemdunitdependency_item', [
          ['unit', unit],
          ['dependency', dependencies],
        ]),
      );
    }
    return complete(items);
  },
};
