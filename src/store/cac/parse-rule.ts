/**
 * One ComplianceAsCode rule directory (`<rule_id>/rule.yml`, optional `bash/*.sh`, `ansible/*.yml`,
 * other remediation directories, `oval/shared.xml`) -> a stored rule. Field errors name
 * `rule.yml:line: field`.
 */
import { formatProblem, parseYamlSource } from '../../content/yaml-source.js';
import { VouchError } from '../../core/errors.js';
import { addReference } from '../references.js';
import type { StoredCheck, StoredFix, StoredRule } from '../types.js';
import {
  expandInstantiateMacros,
  macroArguments,
  RULE_PREFIX,
  restoreExpressions,
  VALUE_PREFIX,
  yamlText,
} from './jinja.js';

const SEVERITIES = ['unknown', 'info', 'low', 'medium', 'high'];
const OVAL_SYSTEM = 'http://oval.mitre.org/XMLSchema/oval-definitions-5';

/** Remediation directories of a CaC rule and the XCCDF fix system the build gives them. */
export const REMEDIATION_SYSTEMS: Record<string, string> = {
  bash: 'urn:xccdf:fix:script:sh',
  ansible: 'urn:xccdf:fix:script:ansible',
  puppet: 'urn:xccdf:fix:script:puppet',
  anaconda: 'urn:redhat:anaconda:pre',
  kubernetes: 'urn:xccdf:fix:script:kubernetes',
  blueprint: 'urn:redhat:osbuild:blueprint',
  ignition: 'urn:xccdf:fix:script:ignition',
  kickstart: 'urn:xccdf:fix:script:kickstart',
  bootc: 'urn:xccdf:fix:script:bootc',
};

export interface RuleFiles {
  /** Rule directory name = rule id. */
  id: string;
  /** Directories between the imported root and the rule directory. */
  groups: string[];
  ruleYmlPath: string;
  ruleYml: string;
  /** `<dir>/<file>` -> text, for remediation directories. */
  remediations: { dir: string; file: string; text: string }[];
  oval: { path: string; text: string } | undefined;
}

/** `# key = value` header lines of a CaC remediation -> fix attributes (the build strips them too). */
function remediationHeader(text: string): { attrs: Record<string, string>; body: string } {
  const attrs: Record<string, string> = {};
  const lines = text.split('\n');
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*(platform|reboot|strategy|complexity|disruption)\s*=\s*(.*?)\s*$/.exec(lines[i] ?? '');
    if (!m) break;
    attrs[m[1]!] = m[2]!;
  }
  return { attrs, body: lines.slice(i).join('\n') };
}

function fixOf(dir: string, file: string, text: string): StoredFix {
  const { attrs, body } = remediationHeader(text);
  const kind = dir === 'bash' ? 'bash' : dir === 'ansible' ? 'ansible' : 'other';
  const stem = file.replace(/\.[^.]+$/, '');
  return {
    kind,
    system: REMEDIATION_SYSTEMS[dir] ?? `urn:vouch:cac:${dir}`,
    id: undefined,
    complexity: attrs.complexity,
    disruption: attrs.disruption,
    reboot: attrs.reboot === undefined ? undefined : attrs.reboot === 'true',
    strategy: attrs.strategy,
    // A product-specific file (bash/ubuntu2204.sh) applies to that product only.
    platform: attrs.platform ?? (stem === 'shared' ? undefined : stem),
    content: kind === 'other' ? [body] : expandInstantiateMacros(body, kind),
  };
}

function scalarList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',');
  if (typeof value === 'number') return [String(value)];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number')) {
    return value.flatMap((v) => String(v).split(','));
  }
  return undefined;
}

export function parseRuleDir(files: RuleFiles, sourceId: string): StoredRule {
  const file = files.ruleYmlPath;
  const source = yamlText(files.ruleYml);
  const yaml = parseYamlSource(file, source.text);
  if (!('data' in yaml)) throw new VouchError('BAD_CAC_RULE', formatProblem(yaml));
  const fail = (path: (string | number)[], message: string): never => {
    throw new VouchError(
      'BAD_CAC_RULE',
      formatProblem({ file, line: yaml.lineOf(path), field: path.join('.'), message }),
    );
  };
  if (yaml.data === null || typeof yaml.data !== 'object' || Array.isArray(yaml.data)) {
    throw new VouchError('BAD_CAC_RULE', formatProblem({ file, line: 1, message: 'expected a mapping' }));
  }
  const d = restoreExpressions(yaml.data, source.expressions) as Record<string, unknown>;
  const text = (field: string, required = false): string | undefined => {
    const v = d[field];
    if (v === undefined || v === null) {
      if (required) fail([field], 'missing');
      return undefined;
    }
    if (typeof v !== 'string') fail([field], `expected text, got ${JSON.stringify(v)}`);
    return (v as string).trim();
  };
  const title = text('title', true);
  const description = text('description');
  const rationale = text('rationale');
  const severity = (d.severity ?? 'unknown') as string;
  if (!SEVERITIES.includes(severity)) {
    fail(['severity'], `must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(d.severity)}`);
  }

  const mapping = (field: string): Record<string, unknown> => {
    const v = d[field];
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) fail([field], 'expected a mapping of key: value');
    return v as Record<string, unknown>;
  };
  const references: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(mapping('references'))) {
    const controls = scalarList(value);
    if (!controls)
      fail(
        ['references', key],
        `expected a control id or a comma-separated list, got ${JSON.stringify(value)}`,
      );
    for (const c of controls!) addReference(references, key, c);
  }
  const idents: StoredRule['idents'] = [];
  for (const [key, value] of Object.entries(mapping('identifiers'))) {
    if (typeof value !== 'string')
      fail(['identifiers', key], `expected an identifier, got ${JSON.stringify(value)}`);
    // `cce@rhel8: CCE-80785-6` -> the CCE system the build writes.
    const system = key.startsWith('cce') ? 'https://ncp.nist.gov/cce' : key;
    idents.push({ system, value: value as string });
  }
  const platforms: string[] = [];
  // null: the value came from a macro line Vouch does not expand; treated as absent.
  if (d.platform !== undefined && d.platform !== null) {
    if (typeof d.platform !== 'string') fail(['platform'], 'expected a platform expression');
    platforms.push(d.platform as string);
  }
  if (d.platforms !== undefined && d.platforms !== null) {
    if (!Array.isArray(d.platforms) || !d.platforms.every((p) => typeof p === 'string')) {
      fail(['platforms'], 'expected a list of platform expressions');
    }
    platforms.push(...(d.platforms as string[]));
  }
  let template: StoredRule['template'];
  if (d.template !== undefined && d.template !== null) {
    const t = mapping('template');
    if (typeof t.name !== 'string') fail(['template', 'name'], 'missing template name');
    const vars = t.vars ?? {};
    if (typeof vars !== 'object' || vars === null || Array.isArray(vars))
      fail(['template', 'vars'], 'expected a mapping');
    template = { name: t.name as string, vars: vars as Record<string, unknown> };
  }

  const fixes = files.remediations.map((r) => fixOf(r.dir, r.file, r.text));
  const variables = new Set<string>();
  for (const t of [files.ruleYml, ...files.remediations.map((r) => r.text)]) {
    for (const name of macroArguments(t, 'xccdf_value')) variables.add(VALUE_PREFIX + name);
  }
  for (const f of fixes) for (const p of f.content) if (typeof p !== 'string') variables.add(p.sub);
  // Templated rules name their Value in the template (sshd_lineinfile, sysctl, ...).
  const templated = template?.vars.xccdf_variable;
  if (typeof templated === 'string') variables.add(VALUE_PREFIX + templated);
  const checks: StoredCheck[] = [];
  if (files.oval) {
    // The build turns each OVAL external_variable into a check-export of the Value of that name.
    const exports = [...files.oval.text.matchAll(/<external_variable\b[^>]*\bid="([^"]+)"/g)].map(
      (m) => VALUE_PREFIX + m[1],
    );
    for (const e of exports) variables.add(e);
    checks.push({ system: OVAL_SYSTEM, href: files.oval.path, name: `oval:ssg-${files.id}:def:1`, exports });
  }
  return {
    id: RULE_PREFIX + files.id,
    shortId: files.id,
    sourceId,
    benchmarkId: undefined,
    title,
    description,
    rationale,
    severity,
    groups: files.groups,
    idents,
    references,
    checks,
    fixes,
    platforms,
    variables: [...variables],
    profiles: [],
    template,
  };
}
