/**
 * `pam`: a module line (type, control, module, arguments) in a /etc/pam.d service, following
 * `@include` and `include`/`substack` so the effective stack is what gets checked.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import {
  compareValue,
  describeExpected,
  operatorProblem,
  operatorSchema,
  scalarSchema,
} from '../common/compare.js';
import { fail, pass, readFact } from '../common/outcome.js';
import { regexSource } from '../common/schema.js';
import { clip } from '../common/text.js';
import { expandPamService, type PamLine, pamArg, pamModuleName } from '../parsers/pam.js';

const PAM_DIR = '/etc/pam.d';

const argSchema = z
  .object({
    name: z.string().min(1),
    op: operatorSchema.optional(),
    value: scalarSchema.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.op !== undefined && a.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'an op needs a value' });
    if (a.value !== undefined) {
      const problem = operatorProblem(a.op ?? 'equals', a.value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    }
  });

const spec = z
  .object({
    service: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be a file name in /etc/pam.d'),
    moduleType: z.enum(['auth', 'account', 'password', 'session']),
    module: z.string().min(1),
    present: z.boolean().default(true),
    control: regexSource.optional(),
    args: z.array(argSchema).default([]),
  })
  .strict();

type Spec = z.output<typeof spec>;
type ArgSpec = Spec['args'][number];

function describeArg(a: ArgSpec): string {
  return a.value === undefined ? a.name : `${a.name} ${describeExpected(a.op ?? 'equals', a.value)}`;
}

/** Problems of one line against the control and argument requirements (empty = satisfies). */
function lineProblems(s: Spec, line: PamLine): string[] {
  const problems: string[] = [];
  if (s.control !== undefined && !new RegExp(s.control).test(line.control)) {
    problems.push(`control ${line.control} does not match /${s.control}/`);
  }
  const args = line.args.map(pamArg);
  for (const wanted of s.args) {
    // PAM modules read arguments left to right, so a repeated argument's last value wins.
    const found = args.filter((a) => a.name === wanted.name).at(-1);
    if (!found) {
      problems.push(`argument ${wanted.name} is missing`);
      continue;
    }
    if (wanted.value === undefined) continue;
    if (found.value === undefined || !compareValue(found.value, wanted.op ?? 'equals', wanted.value)) {
      problems.push(`argument ${wanted.name}=${found.value ?? ''} does not satisfy ${describeArg(wanted)}`);
    }
  }
  return problems;
}

export default defineCheckType({
  id: 'pam',
  version: 1,
  description: 'A PAM module line (type, control, module, arguments) in a pam.d service.',
  spec,
  facts: () => [{ kind: 'file-glob', dirs: [PAM_DIR], pattern: '*' }],
  evaluate(s, ctx): CheckOutcome {
    const got = readFact(ctx, { kind: 'file-glob', dirs: [PAM_DIR], pattern: '*' }, PAM_DIR);
    if (got.problem) return got.problem;
    const byService = new Map(got.value.files.map((f) => [f.path.slice(PAM_DIR.length + 1), f]));
    const servicePath = `${PAM_DIR}/${s.service}`;
    const wanted = `${s.moduleType} ${s.module}${s.args.length ? ` ${s.args.map(describeArg).join(' ')}` : ''}`;
    if (!byService.has(s.service)) {
      const evidence: Evidence[] = [
        {
          source: 'file',
          resource: servicePath,
          expected: s.present ? wanted : `no ${wanted}`,
          found: 'missing',
        },
      ];
      return s.present
        ? fail(`${servicePath} does not exist, so ${s.module} is not configured.`, evidence)
        : pass(`${servicePath} does not exist, so ${s.module} is not used.`, evidence);
    }
    const { lines, missingIncludes } = expandPamService(s.service, (name) => byService.get(name));
    const moduleName = pamModuleName(s.module);
    const candidates = lines.filter((l) => l.type === s.moduleType && pamModuleName(l.module) === moduleName);
    const satisfying = candidates.filter((l) => lineProblems(s, l).length === 0);
    const note = missingIncludes.length
      ? ` (included services not found: ${missingIncludes.join(', ')})`
      : '';
    const lineEvidence = (l: PamLine, expected: string, found: string): Evidence => ({
      source: 'file',
      resource: l.file,
      line: l.line,
      expected,
      found: clip(found),
      ...(found === l.text ? {} : { detail: clip(l.text) }),
    });
    if (s.present) {
      const [hit] = satisfying;
      if (hit)
        return pass(`${s.service} uses ${wanted} at ${hit.file}:${hit.line}.`, [
          lineEvidence(hit, wanted, hit.text),
        ]);
      if (candidates.length === 0) {
        return fail(`${s.service} has no ${s.moduleType} line for ${s.module}${note}.`, [
          {
            source: 'file',
            resource: servicePath,
            expected: wanted,
            found: `no ${s.moduleType} ${moduleName} line`,
          },
        ]);
      }
      return fail(
        `${s.module} in ${s.service} is not configured as required: ${lineProblems(s, candidates[0] as PamLine).join('; ')}.`,
        candidates.map((l) => lineEvidence(l, wanted, lineProblems(s, l).join('; '))),
      );
    }
    if (satisfying.length > 0) {
      return fail(
        `${s.service} must not use ${wanted} but does at ${satisfying.map((l) => `${l.file}:${l.line}`).join(', ')}.`,
        satisfying.map((l) => lineEvidence(l, `no ${wanted}`, l.text)),
      );
    }
    return pass(`${s.service} does not use ${wanted}${note}.`, [
      { source: 'file', resource: servicePath, found: `no matching ${s.moduleType} ${moduleName} line` },
    ]);
  },
});
