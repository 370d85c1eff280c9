/**
 * Locating the Debian root filesystem fixtures built by scripts/build-fixture.sh.
 * `scripts/test-all.sh` builds them and exports VOUCH_FIXTURES; a plain `npm test` without them skips
 * the fixture suites (and says so), while CI must have them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES_DIR = process.env.VOUCH_FIXTURES;

export function fixtureRoot(variant: 'base' | 'hardened' | 'broken'): string | undefined {
  if (!FIXTURES_DIR) {
    if (process.env.CI)
      throw new Error('VOUCH_FIXTURES is not set: run the suite through scripts/test-all.sh');
    return undefined;
  }
  const dir = join(FIXTURES_DIR, variant);
  if (!existsSync(join(dir, 'etc/os-release'))) throw new Error(`fixture ${variant} is missing at ${dir}`);
  return dir;
}

export interface PlannedBreak {
  section: string;
  ruleId: string;
  resource: string;
}

/** The `# BREAK <section> <rule-id> <resource>` lines of fixtures/break.sh: what the broken variant breaks. */
export function plannedBreaks(): PlannedBreak[] {
  const script = readFileSync(new URL('../../fixtures/break.sh', import.meta.url), 'utf8');
  return [...script.matchAll(/^#\s*BREAK\s+(\S+)\s+(\S+)\s+(.+?)\s*$/gm)].map(
    ([, section, ruleId, resource]) => ({
      section: section as string,
      ruleId: ruleId as string,
      resource: resource as string,
    }),
  );
}
