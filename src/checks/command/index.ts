/**
 * `command`: exit code and/or output of an argv command (never a shell string). Live targets only:
 * an offline root has no processes to run.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { errorOutcome, fail, pass, readFact } from '../common/outcome.js';
import { regexFlags, regexProblem, regexSource } from '../common/schema.js';
import { clip, lineAt, lineText } from '../common/text.js';

const spec = z
  .object({
    argv: z.array(z.string().min(1)).min(1),
    timeoutMs: z.number().int().positive().max(600_000).default(5000),
    exitCode: z.number().int().optional(),
    stdout: z
      .object({
        match: regexSource,
        expect: z.enum(['present', 'absent']).default('present'),
        flags: regexFlags.default('m'),
      })
      .strict()
      .superRefine((o, ctx) => {
        const problem = regexProblem(o.match, o.flags);
        if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: problem });
      })
      .optional(),
  })
  .strict();

export default defineCheckType({
  id: 'command',
  version: 1,
  description: 'Exit code and output of an argv command on a live target.',
  spec,
  targets: ['local', 'ssh', 'agent'],
  facts: (s) => [{ kind: 'command', argv: s.argv, timeoutMs: s.timeoutMs }],
  evaluate(s, ctx): CheckOutcome {
    const command = s.argv.join(' ');
    const got = readFact(
      ctx,
      { kind: 'command', argv: s.argv, timeoutMs: s.timeoutMs },
      `command ${command}`,
    );
    if (got.problem) return got.problem;
    const r = got.value;
    if (r.timedOut) return errorOutcome(`${command} did not finish within ${s.timeoutMs} ms.`);
    if (r.exitCode === null) return errorOutcome(`${command} was killed before it exited.`);
    const problems: Evidence[] = [];
    const evidence: Evidence[] = [];
    const stderr = clip(r.stderr.split('\n').find((l) => l.trim() !== '') ?? '');
    // Without any expectation the command must succeed: that is what "it runs" means.
    const wantedExit = s.exitCode ?? (s.stdout ? undefined : 0);
    if (wantedExit !== undefined) {
      const e: Evidence = {
        source: 'command',
        resource: command,
        expected: `exit code ${wantedExit}`,
        found: `exit code ${r.exitCode}`,
        ...(stderr ? { detail: stderr } : {}),
      };
      (r.exitCode === wantedExit ? evidence : problems).push(e);
    }
    if (s.stdout) {
      const re = new RegExp(s.stdout.match, s.stdout.flags.replace('g', ''));
      const m = re.exec(r.stdout);
      const pattern = `/${s.stdout.match}/`;
      const e: Evidence = {
        source: 'command',
        resource: command,
        expected:
          s.stdout.expect === 'present' ? `stdout matches ${pattern}` : `stdout does not match ${pattern}`,
        found: m
          ? `line ${lineAt(r.stdout, m.index)}: ${clip(lineText(r.stdout, lineAt(r.stdout, m.index)))}`
          : 'no match',
      };
      ((m !== null) === (s.stdout.expect === 'present') ? evidence : problems).push(e);
    }
    if (problems.length > 0) {
      return fail(
        `${command} ${problems.map((p) => `should give ${p.expected} but gave ${p.found}`).join(', and ')}.`,
        problems,
      );
    }
    return pass(`${command} gave ${evidence.map((e) => e.expected).join(' and ')}.`, evidence);
  },
});
