/**
 * linux:dpkginfo_object -> dpkginfo_item, as oscap 1.3.7's APT-based probe answers it.
 *
 * Verified against `oscap oval eval` / `oscap-chroot` (see test/scap/probes/system):
 * - "Installed" is APT's CurrentVer: every dpkg state except `not-installed` and `config-files`
 *   (so unpacked, half-installed, half-configured and triggers-* packages are found; the `packages`
 *   fact counts configured ones only, hence the `dpkg-status` fact).
 * - A bare name finds the native-architecture (or `all`) package, else a foreign-only one;
 *   `name:arch` finds that architecture. The item's name never carries the architecture.
 * - epoch is the text before the first ':' (`0` when none); version/release split at the FIRST '-'
 *   after it (`3.1-20221030-2` -> version `3.1`, release `20221030-2`); without '-', release is ''
 *   and evr is `epoch:version`, else `epoch:version-release`.
 * - evr's datatype is `debian_evr_string` for OVAL >= 5.11.1 content, `evr_string` before (SSG: 5.11).
 *
 * Departure: oscap looks the entity's (first) value up literally whatever its operation (a
 * `pattern match` name finds nothing); we apply the operation, and var_check for values from a
 * variable, to every installed package name. SSG only uses literal equals.
 */
import type { DpkgStatusEntry } from '../../../core/facts/fact-values.js';
import type { ObjectCollection, OvalProbe, ProbeItem } from '../../oval-session/probe.js';
import {
  complete,
  DEFAULT_SCHEMA_VERSION,
  factFailure,
  makeItem,
  requiredEntity,
  type SystemProbeOptions,
  schemaAtLeast,
} from './common.js';

/** dpkg states APT does not give a current version. */
const ABSENT_STATES = new Set(['not-installed', 'config-files']);

export function isAptCurrent(entry: DpkgStatusEntry): boolean {
  const state = entry.status.trim().split(/\s+/)[2];
  return state !== undefined && !ABSENT_STATES.has(state) && entry.version !== '';
}

/** oscap's split of a Debian version into epoch, version, release and evr. */
export function splitDebianVersion(full: string): {
  epoch: string;
  version: string;
  release: string;
  evr: string;
} {
  const colon = full.indexOf(':');
  const epoch = colon >= 0 ? full.slice(0, colon) : '0';
  const start = colon >= 0 ? colon + 1 : 0;
  const dash = full.indexOf('-');
  if (dash >= 0) {
    const version = full.slice(start, Math.max(start, dash));
    const release = full.slice(dash + 1);
    return { epoch, version, release, evr: `${epoch}:${version}-${release}` };
  }
  const version = full.slice(start);
  return { epoch, version, release: '', evr: `${epoch}:${version}` };
}

/** dpkg's native architecture: that of the dpkg package itself, else the first concrete one. */
function nativeArch(entries: DpkgStatusEntry[]): string {
  const dpkg = entries.find((entry) => entry.name === 'dpkg' && entry.arch !== 'all');
  return dpkg?.arch ?? entries.find((entry) => entry.arch !== '' && entry.arch !== 'all')?.arch ?? '';
}

/** The package APT's FindPkg(name) answers with, per name. */
function preferredByName(entries: DpkgStatusEntry[]): Map<string, DpkgStatusEntry> {
  const native = nativeArch(entries);
  const chosen = new Map<string, DpkgStatusEntry>();
  for (const entry of entries) {
    const current = chosen.get(entry.name);
    const isNative = entry.arch === native || entry.arch === 'all';
    if (!current || (isNative && current.arch !== native && current.arch !== 'all'))
      chosen.set(entry.name, entry);
  }
  return chosen;
}

function itemOf(entry: DpkgStatusEntry, evrDatatype: string): ProbeItem {
  const { epoch, version, release, evr } = splitDebianVersion(entry.version);
  return makeItem('linux', 'dpkginfo_item', [
    ['name', entry.name],
    ['arch', entry.arch],
    ['epoch', epoch],
    ['release', release],
    ['version', version],
    ['evr', { value: evr, datatype: evrDatatype }],
  ]);
}

export function createDpkginfoProbe(options: SystemProbeOptions = {}): OvalProbe {
  const evrDatatype = schemaAtLeast(options.schemaVersion ?? DEFAULT_SCHEMA_VERSION, '5.11.1')
    ? 'debian_evr_string'
    : 'evr_string';
  return {
    family: 'linux',
    objectType: 'dpkginfo_object',
    async collect(object, ctx): Promise<ObjectCollection> {
      const name = requiredEntity(object, 'name');
      const result = await ctx.fact({ kind: 'dpkg-status' });
      if (result.status !== 'ok') return factFailure(result, 'dpkg status database');
      // Not a dpkg system: oscap's probe fails to open the APT cache and reports nothing found.
      const installed = result.value.entries.filter(isAptCurrent);
      const items: ProbeItem[] = [];
      if (name.operation === 'equals' && !name.nil && !name.fromVariable) {
        // oscap looks the name up in the APT cache: an exact lookup, `name:arch` included. Values
        // from a variable go through the generic match below, which honours var_check.
        const byName = preferredByName(installed);
        const native = nativeArch(installed);
        const seen = new Set<DpkgStatusEntry>();
        for (const value of name.values) {
          const colon = value.indexOf(':');
          const arch = value.slice(colon + 1);
          const entry =
            colon < 0
              ? byName.get(value)
              : installed.find(
                  (e) =>
                    e.name === value.slice(0, colon) &&
                    (e.arch === arch || (e.arch === 'all' && arch === native)),
                );
          if (entry && !seen.has(entry)) {
            seen.add(entry);
            items.push(itemOf(entry, evrDatatype));
          }
        }
      } else {
        for (const entry of preferredByName(installed).values()) {
          if (ctx.matches(name, entry.name)) items.push(itemOf(entry, evrDatatype));
        }
      }
      return complete(items);
    },
  };
}
