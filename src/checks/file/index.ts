/**
 * `file`: existence, type, mode, owner and group of one path. `mode` means "no more permissive
 * than" (every bit set on the file must be allowed by the spec) unless `modeExact` is set.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { GroupValue, PasswdValue, StatValue } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, notApplicable, pass, readFact } from '../common/outcome.js';
import { absolutePath, missingSchema, octalMode, principalSchema } from '../common/schema.js';
import { formatMode, parseMode } from '../common/text.js';

const spec = z
  .object({
    path: absolutePath,
    exists: z.boolean().default(true),
    fileType: z.enum(['file', 'dir', 'symlink']).optional(),
    mode: octalMode.optional(),
    modeExact: z.boolean().default(false),
    owner: principalSchema.optional(),
    group: principalSchema.optional(),
    follow: z.boolean().default(false),
    missing: missingSchema.default('fail'),
  })
  .strict();

type Spec = z.output<typeof spec>;
type Principal = NonNullable<Spec['owner']>;

const list = (p: Principal): Array<string | number> => (Array.isArray(p) ? p : [p]);
const hasNames = (p: Principal | undefined): boolean =>
  p !== undefined && list(p).some((item) => typeof item === 'string' && !/^\d+$/.test(item));

function statRequest(s: Spec): FactRequest {
  return s.follow ? { kind: 'stat', path: s.path, follow: true } : { kind: 'stat', path: s.path };
}

/** Resolves names through passwd/group; numeric strings and numbers are ids already. */
function allowedIds(
  p: Principal,
  entries: ReadonlyArray<{ name: string; uid?: number; gid?: number }>,
): Set<number> {
  const ids = new Set<number>();
  for (const item of list(p)) {
    if (typeof item === 'number') ids.add(item);
    else if (/^\d+$/.test(item)) ids.add(Number(item));
    else {
      const entry = entries.find((e) => e.name === item);
      const id = entry?.uid ?? entry?.gid;
      if (id !== undefined) ids.add(id);
      // root is uid/gid 0 by kernel convention, even on an image whose account files are empty.
      else if (item === 'root') ids.add(0);
    }
  }
  return ids;
}

function describeId(
  id: number,
  entries: ReadonlyArray<{ name: string; uid?: number; gid?: number }>,
): string {
  const entry = entries.find((e) => (e.uid ?? e.gid) === id);
  return entry ? `${entry.name} (${id})` : String(id);
}

function checkAttributes(
  s: Spec,
  stat: StatValue,
  passwd: PasswdValue | undefined,
  group: GroupValue | undefined,
): Evidence[] {
  const problems: Evidence[] = [];
  const item = (expected: string, found: string, detail?: string): Evidence => ({
    source: 'file',
    resource: s.path,
    expected,
    found,
    ...(detail ? { detail } : {}),
  });
  if (s.fileType && stat.type !== s.fileType)
    problems.push(item(`type ${s.fileType}`, `type ${stat.type ?? 'unknown'}`));
  // Linux ignores a symlink's own permission bits (always 0777), so only its target's mode means anything.
  if (s.mode !== undefined && stat.mode !== undefined && stat.type !== 'symlink') {
    const allowed = parseMode(s.mode);
    if (s.modeExact ? stat.mode !== allowed : (stat.mode & ~allowed) !== 0) {
      const extra = stat.mode & ~allowed;
      problems.push(
        item(
          s.modeExact ? `mode ${formatMode(allowed)}` : `mode ${formatMode(allowed)} or more restrictive`,
          `mode ${formatMode(stat.mode)}`,
          extra ? `bits ${formatMode(extra)} are not allowed` : undefined,
        ),
      );
    }
  }
  const users = passwd?.entries ?? [];
  const groups = group?.entries ?? [];
  if (s.owner !== undefined && stat.uid !== undefined && !allowedIds(s.owner, users).has(stat.uid)) {
    problems.push(item(`owner ${list(s.owner).join(' or ')}`, `owner ${describeId(stat.uid, users)}`));
  }
  if (s.group !== undefined && stat.gid !== undefined && !allowedIds(s.group, groups).has(stat.gid)) {
    problems.push(item(`group ${list(s.group).join(' or ')}`, `group ${describeId(stat.gid, groups)}`));
  }
  return problems;
}

export default defineCheckType({
  id: 'file',
  version: 1,
  description: 'Existence, type, mode, owner and group of one path.',
  spec,
  facts(s) {
    const requests: FactRequest[] = [statRequest(s)];
    if (hasNames(s.owner)) requests.push({ kind: 'passwd' });
    if (hasNames(s.group)) requests.push({ kind: 'group' });
    return requests;
  },
  evaluate(s, ctx): CheckOutcome {
    const got = readFact(ctx, statRequest(s) as { kind: 'stat'; path: string }, s.path);
    if (got.problem) return got.problem;
    const stat = got.value;
    if (!stat.exists) {
      if (!s.exists)
        return pass(`${s.path} does not exist, as required.`, [
          { source: 'file', resource: s.path, expected: 'absent', found: 'absent' },
        ]);
      const evidence: Evidence[] = [
        { source: 'file', resource: s.path, expected: 'exists', found: 'missing' },
      ];
      if (s.missing === 'pass') return pass(`${s.path} does not exist, which this rule accepts.`, evidence);
      if (s.missing === 'notapplicable')
        return notApplicable(`${s.path} does not exist, so the rule does not apply.`, evidence);
      return fail(`${s.path} does not exist.`, evidence);
    }
    if (!s.exists) {
      return fail(`${s.path} exists but must not.`, [
        { source: 'file', resource: s.path, expected: 'absent', found: `${stat.type ?? 'file'} exists` },
      ]);
    }
    let passwd: PasswdValue | undefined;
    let group: GroupValue | undefined;
    if (hasNames(s.owner)) {
      const p = readFact(ctx, { kind: 'passwd' }, '/etc/passwd to resolve owner names');
      if (p.problem) return p.problem;
      passwd = p.value;
    }
    if (hasNames(s.group)) {
      const g = readFact(ctx, { kind: 'group' }, '/etc/group to resolve group names');
      if (g.problem) return g.problem;
      group = g.value;
    }
    const problems = checkAttributes(s, stat, passwd, group);
    if (problems.length > 0) {
      const what = problems.map((p) => p.expected?.split(' ')[0]).join(', ');
      return fail(`${s.path} has the wrong ${what}.`, problems);
    }
    const found = [
      `type ${stat.type ?? 'unknown'}`,
      stat.mode !== undefined ? `mode ${formatMode(stat.mode)}` : '',
      stat.uid !== undefined ? `owner ${describeId(stat.uid, passwd?.entries ?? [])}` : '',
      stat.gid !== undefined ? `group ${describeId(stat.gid, group?.entries ?? [])}` : '',
    ]
      .filter((x) => x !== '')
      .join(', ');
    return pass(`${s.path} has the required attributes.`, [{ source: 'file', resource: s.path, found }]);
  },
});
