/**
 * Which stored data stream a command should read when the user names only a profile: the source
 * that holds the profile, or, for a profile of a tailoring file, the one that profile extends.
 * Shared by `vouch content generate` and `vouch tailor` (and any command that accepts `--store`).
 */
import { VouchError } from '../core/errors.js';
import { openRuleStore } from './rule-store.js';

export interface LocateRequest {
  /** Store directory (default: VOUCH_STORE or the XDG data directory). */
  store?: string | undefined;
  /** Profile id, full or short; may be a profile of `tailoring`. */
  profile: string;
  tailoring?: string | undefined;
  benchmarkId?: string | undefined;
}

export async function datastreamForProfile(
  request: LocateRequest,
): Promise<{ datastream: string; benchmarkId: string; sourceId: string }> {
  const store = await openRuleStore(request.store);
  let profileId = request.profile;
  if (request.tailoring) {
    const { loadTailoring } = await import('../scap/xccdf/tailoring.js');
    const { shortProfileId } = await import('../scap/xccdf/profile-id.js');
    const tailored = (await loadTailoring(request.tailoring)).profiles.find(
      (p) => p.id === request.profile || shortProfileId(p.id) === request.profile,
    );
    if (tailored?.extends) profileId = tailored.extends;
  }
  const { sourceId, profile } = store.findProfile(profileId);
  if (request.benchmarkId !== undefined && request.benchmarkId !== profile.benchmarkId) {
    throw new VouchError(
      'UNKNOWN_BENCHMARK',
      `--benchmark-id ${request.benchmarkId}: profile ${profile.id} of source ${sourceId} belongs to ${profile.benchmarkId}`,
    );
  }
  return { datastream: store.datastreamPath(sourceId), benchmarkId: profile.benchmarkId, sourceId };
}
