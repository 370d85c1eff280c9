/**
 * `packages`: the installed packages, from dpkg's status file or, on rpm systems, from `rpm -qa`.
 */

import type { FactResult } from '../core/facts/fact-result.js';
import { RPM_DATABASE_FILES } from '../core/facts/package-databases.js';
import type { Transport } from '../targets/transport.js';
import { collect, MAX_DATABASE_BYTES, type Outcome } from './collector.js';
import { parseDpkgStatus, parseRpmQuery, RPM_QUERY_FORMAT } from './dpkg-status.js';
import { readWholeText } from './read-text.js';

export const DPKG_STATUS = '/var/lib/dpkg/status';

const RPM_TIMEOUT_MS = 60_000;

export function collectPackages(transport: Transport): Promise<FactResult<'packages'>> {
  return collect(transport, async (sources): Promise<Outcome<'packages'>> => {
    const dpkg = await readWholeText(sources, DPKG_STATUS, MAX_DATABASE_BYTES);
    if (dpkg.text !== undefined) {
      return { status: 'ok', value: { manager: 'dpkg', packages: parseDpkgStatus(dpkg.text) } };
    }
    for (const path of RPM_DATABASE_FILES) {
      const stats = await sources.follow(path);
      if (stats?.type !== 'file') continue;
      // The rpm database is a binary store only rpm can read; "no packages" would be a lie that
      // makes every "package X absent" rule pass, so offline it is unavailable instead.
      if (!transport.live) {
        return { status: 'unavailable', reason: `rpm database ${path} can only be queried on a live host` };
      }
      const result = await transport.exec(['rpm', '-qa', '--qf', RPM_QUERY_FORMAT], {
        timeoutMs: RPM_TIMEOUT_MS,
      });
      if (result.exitCode !== 0) {
        const detail = result.timedOut ? 'timed out' : result.stderr.trim() || `exit ${result.exitCode}`;
        return { status: 'error', message: `rpm -qa failed for ${path}: ${detail}` };
      }
      return { status: 'ok', value: { manager: 'rpm', packages: parseRpmQuery(result.stdout) } };
    }
    return { status: 'ok', value: { manager: 'none', packages: {} } };
  });
}
