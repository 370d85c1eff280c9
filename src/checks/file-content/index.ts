/**
 * `file-content`: a regex is present in, or absent from, a file and/or the files of drop-in
 * directories. Every file is searched; evidence names the file and line of each match.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { GlobFile } from '../../core/facts/fact-values.js';
import type { CheckOutcome, Evidence } from '../../core/results.js';
import { errorOutcome, fail, listText, notApplicable, pass, plural, readFact } from '../common/outcome.js';
import {
  absolutePath,
  globSpec,
  missingSchema,
  regexFlags,
  regexProblem,
  regexSource,
} from '../common/schema.js';
import { clip, lineAt, lineText } from '../common/text.js';

const spec = z
  .object({
    path: absolutePath.optional(),
    glob: globSpec.optional(),
    match: regexSource,
    flags: regexFlags.default('m'),
    expect: z.enum(['present', 'absent']).default('present'),
    missing: missingSchema.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.path === undefined && s.glob === undefined) {
      ctx.addIssue({ code: 'custom', path: ['path'], message: 'needs path or glob' });
    }
    const problem = regexProblem(s.match, s.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['flags'], message: problem });
  });

type Spec = z.output<typeof spec>;

function requests(s: Spec): FactRequest[] {
  const out: FactRequest[] = [];
  if (s.path) out.push({ kind: 'file-text', path: s.path });
  if (s.glob) out.push({ kind: 'file-glob', dirs: s.glob.dirs, pattern: s.glob.pattern });
  return out;
}

/** One evidence item per offending line, capped so a pattern matching every line cannot flood a report. */
const MAX_EVIDENCE = 100;

interface Match {
  file: string;
  line: number;
  text: string;
}

function findMatches(file: GlobFile, source: string, flags: string, all: boolean): Match[] {
  const re = new RegExp(source, flags.includes('g') ? flags : `${flags}g`);
  const out: Match[] = [];
  for (const m of file.text.matchAll(re)) {
    const line = lineAt(file.text, m.index);
    if (!out.some((x) => x.line === line))
      out.push({ file: file.path, line, text: clip(lineText(file.text, line)) });
    if (!all) break;
    if (m[0] === '' && out.length > 1000) break;
  }
  return out;
}

/** A file over the collector's size limit was read only in part: absence of a match proves nothing. */
function headOnly(path: string): CheckOutcome {
  return errorOutcome(`${path} is larger than the read limit and only its beginning was searched.`, [
    { source: 'file', resource: path, found: 'truncated' },
  ]);
}

export default defineCheckType({
  id: 'file-content',
  version: 1,
  description: 'A regex is present in, or absent from, a file or the files of drop-in directories.',
  spec,
  facts: (s) => requests(s),
  evaluate(s, ctx): CheckOutcome {
    const files: GlobFile[] = [];
    const searched: string[] = [];
    let truncated: string | undefined;
    if (s.path) {
      const got = readFact(ctx, { kind: 'file-text', path: s.path }, s.path);
      if (got.problem) return got.problem;
      searched.push(s.path);
      if (got.value.exists && got.value.text !== undefined)
        files.push({ path: s.path, text: got.value.text });
      if (got.value.truncated) truncated = s.path;
    }
    if (s.glob) {
      const where = `${s.glob.dirs.join(', ')} (${s.glob.pattern})`;
      const got = readFact(ctx, { kind: 'file-glob', dirs: s.glob.dirs, pattern: s.glob.pattern }, where);
      if (got.problem) return got.problem;
      searched.push(...s.glob.dirs.map((dir) => `${dir}/${s.glob?.pattern}`));
      files.push(...got.value.files);
    }
    const pattern = `/${s.match}/`;
    const where = listText(searched);
    if (files.length === 0) {
      const missing = s.missing ?? (s.expect === 'present' ? 'fail' : 'pass');
      const evidence: Evidence[] = searched.map((resource) => ({
        source: 'file',
        resource,
        expected: 'exists',
        found: 'missing',
      }));
      if (missing === 'pass')
        return pass(`No file to search exists (${where}), so ${pattern} cannot be present.`, evidence);
      if (missing === 'notapplicable') return notApplicable(`No file to search exists (${where}).`, evidence);
      return fail(`No file to search exists (${where}).`, evidence);
    }
    if (s.expect === 'present') {
      for (const file of files) {
        const [first] = findMatches(file, s.match, s.flags, false);
        if (first) {
          return pass(`${pattern} is present in ${first.file} at line ${first.line}.`, [
            { source: 'file', resource: first.file, line: first.line, found: first.text },
          ]);
        }
      }

      if (truncated) return headOnly(truncated);
      return fail(
        `No line matching ${pattern} was found in ${listText(files.map((f) => f.path))}.`,
        files.map((file) => ({
          source: 'file',
          resource: file.path,
          expected: `a line matching ${pattern}`,
          found: 'no match',
        })),
      );
    }
    const matches = files.flatMap((file) => findMatches(file, s.match, s.flags, true));
    if (matches.length > 0) {
      const locations = matches.map((m) => `${m.file}:${m.line}`);
      return fail(
        `${pattern} must not appear but is found at ${listText(locations, 3)}.`,
        matches.slice(0, MAX_EVIDENCE).map((m) => ({
          source: 'file',
          resource: m.file,
          line: m.line,
          expected: `no line matching ${pattern}`,
          found: m.text,
        })),
      );
    }
    if (truncated) return headOnly(truncated);
    return pass(
      `${pattern} does not appear in ${plural(files.length, 'file')} searched.`,
      files.map((file) => ({
        source: 'file',
        resource: file.path,
        found: 'no match',
      })),
    );
  },
});
