/**
 * linux:rpminfo_object -> rpminfo_item. On a dpkg system oscap finds no rpm database and reports
 * "does not exist" (verified live and with oscap-chroot), which is all SSG's Debian/Ubuntu content
 * needs (the RHEL branch of sshd_use_approved_ciphers/macs). On an rpm system the `packages` fact
 * answers (name, arch, epoch, release, version, evr); signature_keyid, extended_name and filepath
 * are not collected.
 */
import { RPM_DATABASE_FILES } from '../../../core/facts/package-databases.js';
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import { complete, factFailure, makeItem, requiredEntity } from './common.js';

/** `[epoch:]version[-release]` as parseRpmQuery stores it. */
export function splitRpmEvr(evr: string): { epoch: string; version: string; release: string } {
  const colon = evr.indexOf(':');
  const epoch = colon >= 0 ? evr.slice(0, colon) : '0';
  const rest = evr.slice(colon + 1);
  const dash = rest.lastIndexOf('-');
  return dash >= 0
    ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) }
    : { epoch, version: rest, release: '' };
}

export const rpminfoProbe: OvalProbe = {
  family: 'linux',
  objectType: 'rpminfo_object',
  async collect(object, ctx): Promise<ObjectCollection> {
    const name = requiredEntity(object, 'name');
    // No rpm database: nothing exists (and the dpkg database need not be read to find that out).
    const databases = await Promise.all(
      RPM_DATABASE_FILES.map((path) => ctx.fact({ kind: 'stat', path, follow: true })),
    );
    if (!databases.some((db) => db.status === 'ok' && db.value.exists)) return complete([]);
    const result = await ctx.fact({ kind: 'packages' });
    if (result.status !== 'ok') return factFailure(result, 'rpm database');
    if (result.value.manager !== 'rpm') return complete([]);
    const items: ProbeItem[] = [];
    for (const info of Object.values(result.value.packages)) {
      if (!ctx.matches(name, info.name)) continue;
      const { epoch, version, release } = splitRpmEvr(info.version);
      items.push(
        makeItem('linux', 'rpminfo_item', [
          ['name', info.name],
          ['arch', info.arch ?? ''],
          ['epoch', epoch],
          ['release', release],
          ['version', version],
          ['evr', { value: `${epoch}:${version}-${release}`, datatype: 'evr_string' }],
        ]),
      );
    }
    return complete(items);
  },
};
