/**
 * Loads a content directory (variables.yaml, profiles/*.yaml, rules/<section>/<id>.yaml), validating
 * every file. All problems are gathered and reported together, each naming file, line and field.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { z } from 'zod';
import type { CheckRef } from '../core/checks/check-type.js';
import type { CheckTypeRegistry } from '../core/checks/registry.js';
import { VouchError } from '../core/errors.js';
import { type Profile, profileSchema } from '../core/rules/profile.js';
import { type Rule, ruleSchema } from '../core/rules/rule.js';
import {
  substituteVariables,
  type VariableDefinition,
  type VariableValue,
  variableDefinitionSchema,
  variableValueProblem,
} from '../core/rules/variables.js';
import { type ContentProblem, formatProblem, parseYamlSource, type YamlSource } from './yaml-source.js';

export interface Content {
  dir: string;
  rules: Rule[];
  profiles: Map<string, Profile>;
  variables: Map<string, VariableDefinition>;
}

export class ContentError extends VouchError {
  readonly problems: ContentProblem[];

  constructor(problems: ContentProblem[]) {
    const lines = problems.map(formatProblem);
    super(
      'INVALID_CONTENT',
      lines.length === 1 ? (lines[0] as string) : `${lines.length} content errors:\n  ${lines.join('\n  ')}`,
    );
    this.problems = problems;
  }
}

export async function listYamlFiles(dir: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await listYamlFiles(path)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) files.push(path);
  }
  return files;
}

function zodProblems(
  source: YamlSource,
  error: z.ZodError,
  prefix: readonly PropertyKey[] = [],
): ContentProblem[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return {
      file: source.file,
      line: source.lineOf(path),
      field: path.length > 0 ? path.map(String).join('.') : undefined,
      message: issue.message,
    };
  });
}

/** Every `{type, spec}` in a check tree with its YAML path, so nested checks are validated too. */
function checkRefsIn(node: unknown, path: PropertyKey[], out: { ref: CheckRef; path: PropertyKey[] }[]) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      checkRefsIn(item, [...path, i], out);
    });
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && 'spec' in record)
      out.push({ ref: record as unknown as CheckRef, path });
    for (const [key, value] of Object.entries(record)) checkRefsIn(value, [...path, key], out);
  }
  return out;
}

export interface LoadContentOptions {
  /** When given, check types are resolved and every spec is validated against its schema. */
  registry?: CheckTypeRegistry;
}

export async function loadContent(dir: string, options: LoadContentOptions = {}): Promise<Content> {
  const problems: ContentProblem[] = [];
  // Paths in messages are relative to the working directory when inside it, absolute otherwise.
  const rel = (path: string) => {
    const shown = relative(process.cwd(), path);
    return shown && !shown.startsWith('..') ? shown : path;
  };
  const read = async (path: string, optional = false): Promise<YamlSource | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      problems.push({ file: rel(path), message: `cannot read: ${(error as Error).message}` });
      return undefined;
    }
    const parsed = parseYamlSource(rel(path), text);
    if ('message' in parsed) {
      problems.push(parsed);
      return undefined;
    }
    return parsed;
  };

  try {
    const info = await readdir(dir);
    if (!info.includes('rules'))
      throw new VouchError('CONTENT_NOT_FOUND', `${dir}: not a content directory (no rules/ folder)`);
  } catch (error) {
    if (error instanceof VouchError) throw error;
    throw new VouchError(
      'CONTENT_NOT_FOUND',
      `${dir}: cannot read content directory (${(error as Error).message})`,
    );
  }

  // Variables
  const variables = new Map<string, VariableDefinition>();
  // variables.yaml is optional: content without tunable thresholds needs none.
  const variablesSource = await read(join(dir, 'variables.yaml'), true);
  if (variablesSource?.data != null) {
    if (typeof variablesSource.data !== 'object' || Array.isArray(variablesSource.data)) {
      problems.push({
        file: variablesSource.file,
        line: 1,
        message: 'expected a map of variable name -> definition',
      });
    } else {
      for (const [name, raw] of Object.entries(variablesSource.data as Record<string, unknown>)) {
        const parsed = variableDefinitionSchema.safeParse(raw);
        if (!parsed.success) {
          problems.push(...zodProblems(variablesSource, parsed.error, [name]));
          continue;
        }
        const definition = { ...parsed.data, name };
        const problem = variableValueProblem(definition, definition.default);
        if (problem) {
          problems.push({
            file: variablesSource.file,
            line: variablesSource.lineOf([name, 'default']),
            field: `${name}.default`,
            message: problem,
          });
        }
        variables.set(name, definition);
      }
    }
  }
  const defaults = new Map<string, VariableValue>([...variables].map(([name, def]) => [name, def.default]));

  // Rules
  const rules: Rule[] = [];
  const ruleFiles = new Map<string, string>();
  const rulesDir = join(dir, 'rules');
  for (const path of await listYamlFiles(rulesDir)) {
    const source = await read(path);
    if (!source) continue;
    const parsed = ruleSchema.safeParse(source.data);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error));
      continue;
    }
    const folder = relative(rulesDir, dirname(path)).split(sep).join('/');
    const rule: Rule = {
      ...parsed.data,
      section: parsed.data.section ?? (folder || 'general'),
      source: { file: source.file, line: 1 },
    };
    const expectedId = basename(path).replace(/\.ya?ml$/, '');
    if (rule.id !== expectedId) {
      problems.push({
        file: source.file,
        line: source.lineOf(['id']),
        field: 'id',
        message: `"${rule.id}" must equal the file name "${expectedId}"`,
      });
    }
    const previous = ruleFiles.get(rule.id);
    if (previous) {
      problems.push({
        file: source.file,
        line: source.lineOf(['id']),
        field: 'id',
        message: `duplicate rule id "${rule.id}" (also in ${previous})`,
      });
      continue;
    }
    ruleFiles.set(rule.id, source.file);
    for (const [i, name] of rule.variables.entries()) {
      if (!variables.has(name)) {
        problems.push({
          file: source.file,
          line: source.lineOf(['variables', i]),
          field: `variables.${i}`,
          message: `unknown variable "${name}" (define it in variables.yaml)`,
        });
      }
    }
    if (options.registry) await validateChecks(source, rule, options.registry, defaults, problems);
    rules.push(rule);
  }
  if (rules.length === 0 && problems.length === 0)
    problems.push({ file: rel(rulesDir), message: 'no rules found' });

  // Profiles
  const profiles = new Map<string, Profile>();
  for (const path of await listYamlFiles(join(dir, 'profiles'))) {
    const source = await read(path);
    if (!source) continue;
    const parsed = profileSchema.safeParse(source.data);
    if (!parsed.success) {
      problems.push(...zodProblems(source, parsed.error));
      continue;
    }
    const profile: Profile = { ...parsed.data, source: { file: source.file, line: 1 } };
    if (profiles.has(profile.id)) {
      problems.push({
        file: source.file,
        line: source.lineOf(['id']),
        field: 'id',
        message: `duplicate profile id "${profile.id}"`,
      });
    }
    for (const [name, value] of Object.entries(profile.variables)) {
      const definition = variables.get(name);
      const problem = definition ? variableValueProblem(definition, value) : 'unknown variable';
      if (problem)
        problems.push({
          file: source.file,
          line: source.lineOf(['variables', name]),
          field: `variables.${name}`,
          message: problem,
        });
    }
    for (const [field, selectors] of [
      ['select', profile.select],
      ['deselect', profile.deselect],
    ] as const) {
      selectors.forEach((selector, i) => {
        if (!selector.includes('*') && !selector.startsWith('section:') && !ruleFiles.has(selector)) {
          problems.push({
            file: source.file,
            line: source.lineOf([field, i]),
            field: `${field}.${i}`,
            message: `unknown rule "${selector}"`,
          });
        }
      });
    }
    profiles.set(profile.id, profile);
  }
  for (const profile of profiles.values()) {
    if (profile.extends && !profiles.has(profile.extends)) {
      problems.push({
        file: profile.source?.file ?? profile.id,
        field: 'extends',
        message: `unknown profile "${profile.extends}"`,
      });
    }
  }

  if (problems.length > 0) throw new ContentError(problems);
  return { dir, rules, profiles, variables };
}

/** Validates every check in a rule against its type's schema, with variables at their defaults. */
async function validateChecks(
  source: YamlSource,
  rule: Rule,
  registry: CheckTypeRegistry,
  defaults: ReadonlyMap<string, VariableValue>,
  problems: ContentProblem[],
): Promise<void> {
  const refs = checkRefsIn(rule.check, ['check'], []);
  if (rule.applicability?.when) checkRefsIn(rule.applicability.when, ['applicability', 'when'], refs);
  for (const { ref, path } of refs) {
    if (!registry.has(ref.type)) {
      problems.push({
        file: source.file,
        line: source.lineOf([...path, 'type']),
        field: [...path, 'type'].join('.'),
        message: `unknown check type "${ref.type}" (known: ${registry.ids().join(', ')})`,
      });
      continue;
    }
    const type = await registry.load(ref.type);
    let spec: unknown;
    try {
      spec = substituteVariables(ref.spec, defaults).value;
    } catch (error) {
      problems.push({
        file: source.file,
        line: source.lineOf([...path, 'spec']),
        field: [...path, 'spec'].join('.'),
        message: (error as Error).message,
      });
      continue;
    }
    // Nested checks are validated on their own; here a composite's children stay opaque to its schema.
    const parsed = type.spec.safeParse(spec);
    if (!parsed.success) problems.push(...zodProblems(source, parsed.error, [...path, 'spec']));
  }
}
