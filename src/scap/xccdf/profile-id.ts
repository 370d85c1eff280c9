/**
 * Profile ids as users type them. SSG ids are long (`xccdf_org.ssgproject.content_profile_cis_level1_server`);
 * the short form is what follows `_profile_` (the XCCDF 1.2 id grammar is `xccdf_<reverse-DNS>_profile_<name>`).
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfProfile } from '../model/xccdf.js';

export function shortProfileId(id: string): string {
  const at = id.indexOf('_profile_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_profile_'.length) : id;
}

export function findProfile(benchmark: XccdfBenchmark, id: string): XccdfProfile {
  const exact = benchmark.profiles.find((p) => p.id === id);
  if (exact) return exact;
  const short = benchmark.profiles.filter((p) => shortProfileId(p.id) === id);
  if (short.length === 1 && short[0]) return short[0];
  const known = benchmark.profiles.map((p) => shortProfileId(p.id)).join(', ');
  throw new VouchError(
    'UNKNOWN_PROFILE',
    short.length > 1
      ? `profile ${id} is ambiguous in ${benchmark.id}: ${short.map((p) => p.id).join(', ')}`
      : `unknown profile ${id} in ${benchmark.id} (known: ${known || 'none'})`,
  );
}
