/**
 * The content shipped with Vouch, and picking a profile for a host.
 */
import { fileURLToPath } from 'node:url';
import type { OsReleaseValue } from '../core/facts/fact-values.js';
import { anyPlatformMatches } from '../core/rules/platforms.js';
import type { Profile } from '../core/rules/profile.js';

/** content/linux at the package root; src/content and dist/content are both two levels below it. */
export const BUILTIN_CONTENT_DIR = fileURLToPath(new URL('../../content/linux', import.meta.url));

/**
 * The default profile for a host: one whose platforms match its os-release, preferring a base
 * profile (level 1) over the profiles that extend it, as a first scan should.
 */
export function defaultProfileFor(profiles: Iterable<Profile>, os: OsReleaseValue): Profile | undefined {
  const matching = [...profiles]
    .filter((profile) => profile.platforms.length > 0 && anyPlatformMatches(profile.platforms, os))
    .sort((a, b) => Number(a.extends !== null) - Number(b.extends !== null) || a.id.localeCompare(b.id));
  return matching[0];
}
