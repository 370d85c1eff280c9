/**
 * `fs-query`: filesystem-wide findings (world-writable, sticky bit, unowned, SUID/SGID) answered
 * from the one shared walk, so any number of these rules costs one traversal.
 */
import picomatch from 'picomatch';
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { WalkEntry } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, listText, outcome, pass, plural, readFact } from '../common/outcome.js';
import { formatMode } from '../common/text.js';

const FINDS = [
  'world-writable-files',
  'world-writable-dirs-without-sticky',
  'unowned',
  'ungrouped',
  'suid',
  'sgid',
] as const;
type Find = (typeof FINDS)[number];

const spec = z
  .object({
    find: z.enum(FINDS),
    allow: z.array(z.string().min(1)).default([]),
    report: z.enum(['fail', 'informational']).default('fail'),
  })
  .strict();

/** Evidence is capped so one noisy host cannot bloat a report; the message still gives the total. */
const MAX_EVIDENCE = 200;

const DESCRIBE: Record<Find, { what: string; expected: string }> = {
  'world-writable-files': { what: 'world-writable file', expected: 'not world-writable' },
  'world-writable-dirs-without-sticky': {
    what: 'world-writable directory without the sticky bit',
    expected: 'sticky bit set',
  },
  unowned: { what: 'file owned by a uid with no account', expected: 'owner with an account' },
  ungrouped: { what: 'file owned by a gid with no group', expected: 'group that exists' },
  suid: { what: 'SUID executable', expected: 'reviewed SUID executable' },
  sgid: { what: 'SGID executable', expected: 'reviewed SGID executable' },
};

function requests(find: Find): FactRequest[] {
  if (find === 'unowned') return [{ kind: 'walk' }, { kind: 'passwd' }];
  if (find === 'ungrouped') return [{ kind: 'walk' }, { kind: 'group' }];
  return [{ kind: 'walk' }];
}

export default defineCheckType({
  id: 'fs-query',
  version: 1,
  description: 'Filesystem-wide findings from the one shared walk.',
  spec,
  facts: (s) => requests(s.find),
  evaluate(s, ctx): CheckOutcome {
    const walk = readFact(ctx, { kind: 'walk' }, 'the filesystem walk');
    if (walk.problem) return walk.problem;
    let findings: WalkEntry[];
    let found = (e: WalkEntry) => `mode ${formatMode(e.mode)}`;
    switch (s.find) {
      case 'world-writable-files':
        findings = walk.value.special.filter((e) => e.type === 'file' && (e.mode & 0o002) !== 0);
        break;
      case 'world-writable-dirs-without-sticky':
        findings = walk.value.special.filter(
          (e) => e.type === 'dir' && (e.mode & 0o002) !== 0 && (e.mode & 0o1000) === 0,
        );
        break;
      case 'suid':
        findings = walk.value.special.filter((e) => e.type === 'file' && (e.mode & 0o4000) !== 0);
        break;
      case 'sgid':
        findings = walk.value.special.filter((e) => e.type === 'file' && (e.mode & 0o2000) !== 0);
        break;
      case 'unowned': {
        const users = readFact(ctx, { kind: 'passwd' }, '/etc/passwd');
        if (users.problem) return users.problem;
        const uids = new Set(users.value.entries.map((e) => e.uid));
        findings = walk.value.unowned.filter((e) => !uids.has(e.uid));
        found = (e) => `uid ${e.uid}`;
        break;
      }
      case 'ungrouped': {
        const groups = readFact(ctx, { kind: 'group' }, '/etc/group');
        if (groups.problem) return groups.problem;
        const gids = new Set(groups.value.entries.map((e) => e.gid));
        findings = walk.value.unowned.filter((e) => !gids.has(e.gid));
        found = (e) => `gid ${e.gid}`;
        break;
      }
    }
    const allowed = s.allow.length ? picomatch(s.allow, { dot: true }) : () => false;
    findings = findings.filter((e) => !allowed(e.path));
    const { what, expected } = DESCRIBE[s.find];
    // Say what was not walked, so a pass is not read as covering network or pseudo filesystems.
    const skipped = walk.value.skipped.length ? `; not descended: ${listText(walk.value.skipped, 3)}` : '';
    const scope = `${walk.value.visited} entries walked${skipped}`;
    if (findings.length === 0) {
      return pass(`No ${what} was found (${scope}).`, [
        { source: 'walk', resource: '/', found: `no ${what}`, detail: scope },
      ]);
    }
    const evidence: Evidence[] = findings
      .slice(0, MAX_EVIDENCE)
      .map((e) => ({ source: 'walk', resource: e.path, expected, found: found(e) }));
    if (findings.length > MAX_EVIDENCE) {
      evidence.push({
        source: 'walk',
        resource: '/',
        found: `${findings.length - MAX_EVIDENCE} more not listed`,
      });
    }
    const message = `Found ${plural(findings.length, what, `${what}s`)}, e.g. ${findings[0]?.path}.`;
    return s.report === 'informational'
      ? outcome('informational', message, evidence)
      : fail(message, evidence);
  },
});
