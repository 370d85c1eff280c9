/**
 * A tree of ComplianceAsCode content -> store records: every directory holding a `rule.yml` is a
 * rule (its name the rule id), every `<var_id>.var` file a variable. Group directories in between
 * become the rule's groups. Nothing is evaluated: see jinja.ts for what is recognised.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { VouchError } from '../../core/errors.js';
import { sha256 } from '../files.js';
import type { ImportedContent } from '../from-datastream.js';
import type { StoredRule, StoredVariable } from '../types.js';
import { parseRuleDir, REMEDIATION_SYSTEMS, type RuleFiles } from './parse-rule.js';
import { parseVarFile } from './parse-var.js';

const SKIP = new Set(['.git', 'node_modules', 'build', 'tests']);

interface Walk {
  ruleDirs: string[];
  varFiles: string[];
}

async function walk(dir: string, out: Walk): Promise<Walk> {
  const entries = await readdir(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === 'rule.yml')) out.ruleDirs.push(dir);
  for (const e of entries) {
    if (e.isFile() && e.name.endsWith('.var')) out.varFiles.push(join(dir, e.name));
    else if (e.isDirectory() && !SKIP.has(e.name) && !(e.name in REMEDIATION_SYSTEMS) && e.name !== 'oval') {
      await walk(join(dir, e.name), out);
    }
  }
  return out;
}

async function filesOf(
  root: string,
  dir: string,
  read: (path: string) => Promise<string>,
): Promise<RuleFiles> {
  const remediations: RuleFiles['remediations'] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries
    .filter((x) => x.isDirectory() && x.name in REMEDIATION_SYSTEMS)
    .sort((a, b) => a.name.localeCompare(b.name))) {
    const names = (await readdir(join(dir, e.name))).sort((a, b) =>
      // shared.* first: the remediation every product gets.
      a.startsWith('shared.') ? -1 : b.startsWith('shared.') ? 1 : a.localeCompare(b),
    );
    for (const file of names)
      remediations.push({ dir: e.name, file, text: await read(join(dir, e.name, file)) });
  }
  let oval: RuleFiles['oval'];
  if (entries.some((e) => e.isDirectory() && e.name === 'oval')) {
    const path = join(dir, 'oval', 'shared.xml');
    try {
      oval = { path: relative(root, path), text: await read(path) };
    } catch {
      oval = undefined;
    }
  }
  const rel = relative(root, dir);
  return {
    id: basename(dir),
    groups: rel.split('/').slice(0, -1).filter(Boolean),
    ruleYmlPath: join(dir, 'rule.yml'),
    ruleYml: await read(join(dir, 'rule.yml')),
    remediations,
    oval,
  };
}

export async function importCacTree(
  root: string,
  sourceId: string,
  isSensitive: (id: string) => boolean,
): Promise<{ content: ImportedContent; sha256: string }> {
  const { ruleDirs, varFiles } = await walk(root, { ruleDirs: [], varFiles: [] });
  if (ruleDirs.length === 0) {
    throw new VouchError(
      'NOT_CAC_CONTENT',
      `${root}: no ComplianceAsCode rule directories (<rule_id>/rule.yml) under this directory`,
    );
  }
  // Every file read feeds the source hash, so an unchanged tree re-imports as "no changes".
  const hashed = new Map<string, string>();
  const read = async (path: string) => {
    const text = await readFile(path, 'utf8');
    hashed.set(relative(root, path), text);
    return text;
  };
  const rules: StoredRule[] = [];
  const seen = new Map<string, string>();
  for (const dir of ruleDirs.sort()) {
    const files = await filesOf(root, dir, read);
    const other = seen.get(files.id);
    if (other) throw new VouchError('DUPLICATE_RULE', `${dir}: rule ${files.id} is also defined in ${other}`);
    seen.set(files.id, dir);
    rules.push(parseRuleDir(files, sourceId));
  }
  const variables: StoredVariable[] = [];
  for (const file of varFiles.sort()) {
    const name = basename(file, '.var');
    if (variables.some((v) => v.name === name)) {
      throw new VouchError('DUPLICATE_VARIABLE', `${file}: variable ${name} is defined twice`);
    }
    variables.push(parseVarFile(file, await read(file), name, sourceId, isSensitive));
  }
  const defined = new Set(variables.map((v) => v.id));
  const warnings = rules.flatMap((r) =>
    r.variables
      .filter((v) => !defined.has(v))
      .map((v) => `${r.shortId}: uses ${v}, which no .var file defines`),
  );
  const digest = sha256(
    [...hashed.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, text]) => `${path}\u0000${text}`)
      .join('\u0000'),
  );
  return {
    content: {
      benchmarkIds: [],
      version: undefined,
      title: undefined,
      rules,
      variables,
      profiles: [],
      warnings,
    },
    sha256: digest,
  };
}
