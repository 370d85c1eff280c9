/** `package`: packages are installed or absent, optionally at a version (dpkg ordering, rpm's on rpm systems). */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { fail, listText, notChecked, pass, readFact } from '../common/outcome.js';
import { compareDebianVersions } from '../parsers/dpkg-version.js';
import { compareRpmVersions } from '../parsers/rpm-version.js';

const VERSION_OPS = ['equals', 'not-equals', 'lt', 'lte', 'gt', 'gte'] as const;
type VersionOp = (typeof VERSION_OPS)[number];

const packageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]*(?::[a-z0-9-]+)?$/, 'must be a package name');

const spec = z
  .object({
    name: packageName.optional(),
    names: z.array(packageName).min(1).optional(),
    state: z.enum(['installed', 'absent']).default('installed'),
    version: z
      .object({ op: z.enum(VERSION_OPS).default('gte'), value: z.string().min(1) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if ((s.name === undefined) === (s.names === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['name'], message: 'give exactly one of name or names' });
    }
    if (s.version && s.state !== 'installed') {
      ctx.addIssue({ code: 'custom', path: ['version'], message: 'only applies to state installed' });
    }
  });

const OP_TEXT: Record<VersionOp, string> = {
  equals: '=',
  'not-equals': '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
};

function versionOk(found: string, op: VersionOp, wanted: string, manager: 'dpkg' | 'rpm'): boolean {
  // Each package manager orders its own versions; comparing rpm versions the dpkg way mis-sorts `^`.
  const c = manager === 'rpm' ? compareRpmVersions(found, wanted) : compareDebianVersions(found, wanted);
  if (op === 'equals') return c === 0;
  if (op === 'not-equals') return c !== 0;
  if (op === 'lt') return c < 0;
  if (op === 'lte') return c <= 0;
  if (op === 'gt') return c > 0;
  return c >= 0;
}

export default defineCheckType({
  id: 'package',
  version: 1,
  description: 'Packages are installed or absent, optionally at a version in dpkg ordering.',
  spec,
  facts: () => [{ kind: 'packages' }],
  evaluate(s, ctx): CheckOutcome {
    const got = readFact(ctx, { kind: 'packages' }, 'the package database');
    if (got.problem) return got.problem;
    if (got.value.manager === 'none') return notChecked('No package database was found on the target.');
    const names = s.names ?? (s.name ? [s.name] : []);
    const expected =
      s.state === 'absent'
        ? 'not installed'
        : s.version
          ? `installed, version ${OP_TEXT[s.version.op]} ${s.version.value}`
          : 'installed';
    const evidence: Evidence[] = [];
    const bad: string[] = [];
    const failing: Evidence[] = [];
    for (const name of names) {
      const info = got.value.packages[name] ?? got.value.packages[name.replace(/:.*$/, '')];
      const found = info ? info.version : 'not installed';
      let ok: boolean;
      if (s.state === 'absent') ok = !info;
      else
        ok =
          !!info && (!s.version || versionOk(info.version, s.version.op, s.version.value, got.value.manager));
      const item: Evidence = { source: 'package', resource: name, expected, found };
      evidence.push(item);
      if (!ok) {
        failing.push(item);
        bad.push(
          !info
            ? `${name} is not installed`
            : s.state === 'absent'
              ? `${name} ${info.version} is installed`
              : `${name} is at version ${info.version}`,
        );
      }
    }
    if (bad.length === 0) {
      return pass(`${listText(names)} ${names.length === 1 ? 'is' : 'are'} ${expected}.`, evidence);
    }
    return fail(`Expected ${expected}, but ${listText(bad)}.`, failing);
  },
});
