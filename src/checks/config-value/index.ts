/**
 * `config-value`: the effective value of one key, parsed with the semantics of its format
 * (sshd first-match-wins with Include and Match, login.defs and keyvalue last-wins, systemd ini
 * sections with drop-ins). Evidence points at the line that set the effective value.
 */
import { z } from 'zod';
import type { EvaluateContext } from '../../core/checks/check-type.js';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import {
  compareValue,
  describeExpected,
  expectedValueSchema,
  operatorProblem,
  operatorSchema,
  scalarSchema,
} from '../common/compare.js';
import { errorOutcome, fail, notApplicable, pass, readFact } from '../common/outcome.js';
import { absolutePath, globSpec, missingSchema } from '../common/schema.js';
import { applyDirPrecedence } from '../parsers/dropins.js';
import { parseIni } from '../parsers/ini.js';
import { parseKeyValue } from '../parsers/keyvalue.js';
import { parseLoginDefs } from '../parsers/login-defs.js';
import { resolveSshdConfig } from '../parsers/sshd.js';

const DEFAULT_PATHS: Record<string, string> = {
  sshd: '/etc/ssh/sshd_config',
  'login.defs': '/etc/login.defs',
};

const spec = z
  .object({
    format: z.enum(['sshd', 'login.defs', 'keyvalue', 'ini']),
    path: absolutePath.optional(),
    key: z.string().min(1),
    op: operatorSchema.default('equals'),
    value: expectedValueSchema,
    default: scalarSchema.optional(),
    separator: z.enum(['=', ' ']).optional(),
    section: z.string().min(1).optional(),
    dropins: globSpec.optional(),
    missing: missingSchema.default('fail'),
  })
  .strict()
  .superRefine((s, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((s.format === 'keyvalue' || s.format === 'ini') && !s.path)
      issue('path', `format ${s.format} needs a path`);
    if (s.separator !== undefined && s.format !== 'keyvalue')
      issue('separator', 'only applies to format keyvalue');
    if (s.format === 'ini' && !s.section) issue('section', 'format ini needs a section');
    if (s.section !== undefined && s.format !== 'ini') issue('section', 'only applies to format ini');
    if (s.dropins !== undefined && s.format !== 'keyvalue' && s.format !== 'ini') {
      issue('dropins', 'only applies to formats keyvalue and ini');
    }
    const problem = operatorProblem(s.op, s.value);
    if (problem) issue('value', problem);
  });

type Spec = z.output<typeof spec>;

const mainPath = (s: Spec): string => s.path ?? DEFAULT_PATHS[s.format] ?? '';

function requests(s: Spec): FactRequest[] {
  if (s.format === 'sshd') return [{ kind: 'config-tree', path: mainPath(s), syntax: 'sshd' }];
  const out: FactRequest[] = [{ kind: 'file-text', path: mainPath(s) }];
  if (s.dropins) out.push({ kind: 'file-glob', dirs: s.dropins.dirs, pattern: s.dropins.pattern });
  return out;
}

interface Effective {
  value: string;
  file: string;
  line: number;
  text: string;
}

type Lookup = { found: Effective | null; note?: string } | { problem: CheckOutcome } | { absent: true };

function lookup(s: Spec, ctx: EvaluateContext): Lookup {
  const path = mainPath(s);
  if (s.format === 'sshd') {
    const got = readFact(ctx, { kind: 'config-tree', path, syntax: 'sshd' }, path);
    if (got.problem) return { problem: got.problem };
    if (!got.value.exists) return { absent: true };
    const config = resolveSshdConfig(got.value.files);
    const key = s.key.toLowerCase();
    const setting = config.global.get(key);
    const inMatch = config.inMatch.find((m) => m.keyword === key);
    const note =
      inMatch && !setting ? ` (only set inside a Match block at ${inMatch.file}:${inMatch.line})` : undefined;
    return { found: setting ?? null, ...(note ? { note } : {}) };
  }
  const main = readFact(ctx, { kind: 'file-text', path }, path);
  if (main.problem) return { problem: main.problem };
  if (main.value.truncated) {
    // Later lines can override earlier ones, so a partial read cannot give the effective value.
    return {
      problem: errorOutcome(
        `${path} is larger than the read limit, so its effective settings cannot be known.`,
      ),
    };
  }
  const texts: Array<{ path: string; text: string }> = [];
  if (main.value.exists && main.value.text !== undefined) texts.push({ path, text: main.value.text });
  if (s.dropins) {
    const got = readFact(ctx, { kind: 'file-glob', dirs: s.dropins.dirs, pattern: s.dropins.pattern });
    if (got.problem) return { problem: got.problem };
    texts.push(...applyDirPrecedence(got.value.files, s.dropins.dirs));
  }
  if (texts.length === 0) return { absent: true };
  let found: Effective | null = null;
  for (const file of texts) {
    if (s.format === 'ini') {
      for (const a of parseIni(file.text, file.path)) {
        if (a.section !== s.section || a.key !== s.key) continue;
        found = a.value === null ? null : { value: a.value, file: a.file, line: a.line, text: a.text };
      }
      continue;
    }
    const assignments =
      s.format === 'login.defs'
        ? parseLoginDefs(file.text, file.path)
        : parseKeyValue(file.text, file.path, s.separator ?? '=');
    for (const a of assignments) if (a.key === s.key) found = a;
  }
  return { found };
}

export default defineCheckType({
  id: 'config-value',
  version: 1,
  description: 'The effective value of a configuration key, parsed with its format’s semantics.',
  spec,
  facts: (s) => requests(s),
  evaluate(s, ctx): CheckOutcome {
    const path = mainPath(s);
    const name = s.section ? `[${s.section}] ${s.key}` : s.key;
    const expected = describeExpected(s.op, s.value);
    const result = lookup(s, ctx);
    if ('problem' in result) return result.problem;
    if ('absent' in result) {
      const evidence: Evidence[] = [{ source: 'file', resource: path, expected: 'exists', found: 'missing' }];
      if (s.missing === 'pass') return pass(`${path} does not exist, which this rule accepts.`, evidence);
      if (s.missing === 'notapplicable')
        return notApplicable(`${path} does not exist, so the rule does not apply.`, evidence);
      return fail(`${path} does not exist, so ${name} cannot be checked.`, evidence);
    }
    const options = { caseInsensitive: s.format === 'sshd' };
    const { found } = result;
    if (!found) {
      const note = result.note ?? '';
      if (s.default === undefined) {
        return fail(`${name} is not set in ${path}${note}; expected ${expected}.`, [
          { source: 'file', resource: path, expected: `${name} ${expected}`, found: 'not set' },
        ]);
      }
      const value = String(s.default);
      const evidence: Evidence[] = [
        {
          source: 'file',
          resource: path,
          expected: `${name} ${expected}`,
          found: `${value} (built-in default; not set)`,
        },
      ];
      if (compareValue(value, s.op, s.value, options)) {
        return pass(
          `${name} is not set in ${path}${note}, and its built-in default ${value} satisfies ${expected}.`,
          evidence,
        );
      }
      return fail(
        `${name} is not set in ${path}${note}, and its built-in default ${value} does not satisfy ${expected}.`,
        evidence,
      );
    }
    const evidence: Evidence[] = [
      {
        source: 'file',
        resource: found.file,
        line: found.line,
        expected: `${name} ${expected}`,
        found: found.value,
        detail: found.text,
      },
    ];
    if (compareValue(found.value, s.op, s.value, options)) {
      return pass(
        `${name} is ${found.value} (${found.file}:${found.line}), which satisfies ${expected}.`,
        evidence,
      );
    }
    return fail(`${name} is ${found.value} at ${found.file}:${found.line}; expected ${expected}.`, evidence);
  },
});
