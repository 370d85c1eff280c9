/**
 * `sysctl`: a kernel parameter's configured value (in `sysctl --system` order) and its runtime
 * value. On an offline root `source: both` checks the configuration only, and says so.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { GlobFile } from '../../core/facts/fact-values.js';
import type { CheckOutcome } from '../../core/results.js';
import {
  compareValue,
  describeExpected,
  expectedValueSchema,
  operatorProblem,
  operatorSchema,
} from '../common/compare.js';
import { Findings } from '../common/findings.js';
import { fail, notChecked, pass, readFact, readOptionalFact, sentence } from '../common/outcome.js';
import { applyDirPrecedence, SYSCTL_DIRS } from '../parsers/dropins.js';
import {
  normalizeSysctlKey,
  normalizeSysctlValue,
  parseSysctl,
  type SysctlAssignment,
} from '../parsers/sysctl.js';

const SYSCTL_CONF = '/etc/sysctl.conf';

const spec = z
  .object({
    key: z.string().regex(/^[A-Za-z0-9_./-]+$/, 'must be a sysctl key such as net.ipv4.ip_forward'),
    value: expectedValueSchema,
    op: operatorSchema.default('equals'),
    source: z.enum(['both', 'config', 'runtime']).default('both'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const problem = operatorProblem(s.op, s.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

type Spec = z.output<typeof spec>;

const GLOB: FactRequest & { kind: 'file-glob' } = { kind: 'file-glob', dirs: SYSCTL_DIRS, pattern: '*.conf' };

/** The assignment `sysctl --system` would apply last for this key, or null. */
/**
 * The assignment `sysctl --system` would leave in force for this key, or null. Keys may be globs
 * (`net.ipv4.conf.*.rp_filter`, systemd >= 247); as in systemd-sysctl, an explicit assignment of the
 * key wins over any glob, whatever their order, and among globs the last one applied wins.
 */
export function effectiveSysctl(
  key: string,
  dropins: readonly GlobFile[],
  sysctlConf: string | undefined,
): SysctlAssignment | null {
  const files = [...applyDirPrecedence(dropins, SYSCTL_DIRS)];
  if (sysctlConf !== undefined) files.push({ path: SYSCTL_CONF, text: sysctlConf });
  let explicit: SysctlAssignment | null = null;
  let glob: SysctlAssignment | null = null;
  for (const file of files) {
    for (const a of parseSysctl(file.text, file.path)) {
      if (a.key === key) explicit = a;
      else if (/[*?[]/.test(a.key) && globMatches(a.key, key)) glob = a;
    }
  }
  return explicit ?? glob;
}

/** fnmatch(3) without FNM_PATHNAME, as systemd-sysctl uses it: `*` also crosses `.` separators. */
export function globMatches(pattern: string, key: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = pattern
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`).test(key);
}

export default defineCheckType({
  id: 'sysctl',
  version: 1,
  description: 'A kernel parameter’s configured (sysctl.d order) and runtime value.',
  spec,
  facts(s) {
    const key = normalizeSysctlKey(s.key);
    const out: FactRequest[] = [];
    if (s.source !== 'runtime') out.push(GLOB, { kind: 'file-text', path: SYSCTL_CONF });
    if (s.source !== 'config') out.push({ kind: 'sysctl-runtime', key });
    return out;
  },
  evaluate(s: Spec, ctx): CheckOutcome {
    const key = normalizeSysctlKey(s.key);
    const expected = describeExpected(s.op, s.value);
    const matches = (found: string) => compareValue(normalizeSysctlValue(found), s.op, s.value);
    const findings = new Findings();
    const notes: string[] = [];

    if (s.source !== 'config') {
      const runtime = readOptionalFact(ctx, { kind: 'sysctl-runtime', key }, `runtime ${key}`);
      if (runtime.problem) return runtime.problem;
      if (runtime.value === undefined) {
        if (s.source === 'runtime') {
          return notChecked(`Cannot check runtime ${key}: ${sentence(runtime.reason ?? 'unavailable')}`);
        }
        notes.push('runtime value not checked on an offline target');
      } else {
        const exists = runtime.value.exists;
        const found = exists ? normalizeSysctlValue(runtime.value.value ?? '') : 'not present in the kernel';
        const ok = exists && matches(found);
        findings.add(
          { source: 'sysctl', resource: key, expected, found, detail: 'runtime value' },
          !ok && `${found} at runtime`,
        );
        if (ok) notes.push(`runtime value is ${found}`);
      }
    }

    if (s.source !== 'runtime') {
      const dropins = readFact(ctx, GLOB, 'sysctl.d files');
      if (dropins.problem) return dropins.problem;
      const conf = readFact(ctx, { kind: 'file-text', path: SYSCTL_CONF }, SYSCTL_CONF);
      if (conf.problem) return conf.problem;
      const last = effectiveSysctl(key, dropins.value.files, conf.value.exists ? conf.value.text : undefined);
      if (!last) {
        findings.add(
          {
            source: 'sysctl',
            resource: key,
            expected: `${key} = ${expected} in a sysctl configuration file`,
            found: 'not set',
            detail: `searched ${SYSCTL_DIRS.map((d) => `${d}/*.conf`).join(', ')} and ${SYSCTL_CONF}`,
          },
          'not configured',
        );
      } else {
        const ok = matches(last.value);
        findings.add(
          {
            source: 'file',
            resource: last.file,
            line: last.line,
            expected: `${key} ${expected}`,
            found: last.value,
            detail: last.text,
          },
          !ok && `configured as ${last.value} at ${last.file}:${last.line}`,
        );
        if (ok) notes.push(`configured value is ${last.value} (${last.file}:${last.line})`);
      }
    }

    if (findings.failed)
      return fail(
        `${key} should be ${expected} but is ${findings.reasons.join(' and ')}.`,
        findings.problems,
      );
    return pass(`${key} satisfies ${expected}: ${notes.join('; ')}.`, findings.satisfied);
  },
});
