/**
 * `walk`: the one filesystem-wide walk. Ownership is judged against the *target's* passwd and
 * group (not the scanning host's NSS), which is why those files are this fact's sources.
 */
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport, WalkOptions } from '../targets/transport.js';
import { parseGroup, parsePasswd } from './account-files.js';
import { GROUP_PATH, PASSWD_PATH } from './accounts.js';
import { collect, MAX_DATABASE_BYTES } from './collector.js';
import { readWholeText } from './read-text.js';

/**
 * A walk costs seconds and no file signals that "some file somewhere changed mode", so the cache
 * keeps it for this long and then walks again.
 */
export const WALK_TTL_MS = 10 * 60 * 1000;

export function collectWalk(
  transport: Transport,
  overrides: Pick<WalkOptions, 'roots' | 'walker'> = {},
): Promise<FactResult<'walk'>> {
  return collect(transport, async (sources) => {
    const passwd = await readWholeText(sources, PASSWD_PATH, MAX_DATABASE_BYTES);
    const group = await readWholeText(sources, GROUP_PATH, MAX_DATABASE_BYTES);
    const knownUids = new Set(parsePasswd(passwd.text ?? '').map((entry) => entry.uid));
    const knownGids = new Set(parseGroup(group.text ?? '').map((entry) => entry.gid));
    const value = await transport.walk({ knownUids, knownGids, ...overrides });
    return { status: 'ok', value, ttlMs: WALK_TTL_MS };
  });
}
