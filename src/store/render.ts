/**
 * Text renderings of the store for the CLI: the import summary and re-import diff, the rule
 * table, and one rule in full. Sensitive variable values go through displayValue everywhere.
 */
import { displayValue } from '../scap/variables/typed-variable.js';
import { frameworkBase, frameworkTitle } from './references.js';
import type { ImportResult, StoredFix, StoredProfile, StoredRule, StoredVariable } from './types.js';

const short = (id: string): string => {
  const at = id.search(/_(rule|value|profile)_/);
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(id.indexOf('_', at + 1) + 1) : id;
};

function list(label: string, items: string[], out: string[]): void {
  if (items.length === 0) return;
  out.push(`  ${label} (${items.length}):`);
  for (const item of items) out.push(`    ${item}`);
}

export function renderImport(result: ImportResult, storeDir: string): string {
  const s = result.source;
  const what = `${s.counts.rules} rules, ${s.counts.variables} variables, ${s.counts.profiles} profiles`;
  const version = s.version ? ` version ${s.version}` : '';
  const out = [
    `${result.diff ? 're-imported' : 'imported'} ${s.id}${version} from ${s.origin}: ${what}`,
    `  sha256 ${s.sha256}, store ${storeDir}`,
  ];
  const d = result.diff;
  if (d) {
    if (d.previousVersion !== d.version)
      out.push(`  version ${d.previousVersion ?? '?'} -> ${d.version ?? '?'}`);
    const empty =
      d.rulesAdded.length +
        d.rulesRemoved.length +
        d.rulesChanged.length +
        d.variablesAdded.length +
        d.variablesRemoved.length +
        d.variableDefaultsChanged.length +
        d.profilesAdded.length +
        d.profilesRemoved.length ===
      0;
    if (empty)
      out.push(
        result.unchanged ? '  no changes (same content)' : '  no changes to rules, variables or profiles',
      );
    list('rules added', d.rulesAdded.map(short), out);
    list('rules removed', d.rulesRemoved.map(short), out);
    list(
      'rules changed',
      d.rulesChanged.map((c) => `${short(c.id)}: ${c.fields.join(', ')}`),
      out,
    );
    list('variables added', d.variablesAdded.map(short), out);
    list('variables removed', d.variablesRemoved.map(short), out);
    list(
      'variable defaults changed',
      d.variableDefaultsChanged.map(
        (v) => `${short(v.id)}: ${JSON.stringify(v.from)} -> ${JSON.stringify(v.to)}`,
      ),
      out,
    );
    list('profiles added', d.profilesAdded.map(short), out);
    list('profiles removed', d.profilesRemoved.map(short), out);
  }
  for (const w of result.warnings) out.push(`  warning: ${w}`);
  return `${out.join('\n')}\n`;
}

/** The list view: short id, severity, source, title; with --framework, that framework's controls. */
export function renderRuleTable(rules: StoredRule[], framework?: (key: string) => boolean): string {
  if (rules.length === 0) return 'no rules match\n';
  const rows = rules.map((r) => {
    // cis@sle12 and cis@sle15 often name the same control: list it once.
    const controls = framework
      ? [
          ...new Set(
            Object.entries(r.references)
              .filter(([k]) => framework(k))
              .flatMap(([, v]) => v),
          ),
        ].join(', ')
      : undefined;
    return [r.shortId, r.severity, r.sourceId, ...(controls === undefined ? [] : [controls]), r.title ?? ''];
  });
  const header = ['RULE', 'SEVERITY', 'SOURCE', ...(framework ? ['CONTROLS'] : []), 'TITLE'];
  const widths = header.map((h, i) =>
    i === header.length - 1 ? 0 : Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(header), ...rows.map(line), `${rules.length} rule(s)`].join('\n')}\n`;
}

/** A variable as `show` prints it (and as JSON output carries it): sensitive values masked. */
export function maskedVariable(v: StoredVariable): StoredVariable {
  if (!v.sensitive) return v;
  const mask = (x: string) => displayValue(v, x);
  return {
    ...v,
    default: mask(v.default),
    selectors: Object.fromEntries(Object.entries(v.selectors).map(([k, x]) => [k, mask(x)])),
    choices: v.choices?.map(mask),
    suggestions: v.suggestions?.map(mask),
  };
}

function allowed(v: StoredVariable): string {
  const parts: string[] = [];
  if (v.choices) parts.push(`one of ${v.choices.map((c) => JSON.stringify(c)).join(', ')}`);
  const named = Object.entries(v.selectors);
  if (named.length > 0)
    parts.push(`selectors ${named.map(([k, x]) => `${k}=${JSON.stringify(x)}`).join(', ')}`);
  if (v.suggestions) parts.push(`suggested ${v.suggestions.map((c) => JSON.stringify(c)).join(', ')}`);
  if (v.lowerBound !== undefined) parts.push(`>= ${v.lowerBound}`);
  if (v.upperBound !== undefined) parts.push(`<= ${v.upperBound}`);
  if (v.pattern !== undefined) parts.push(`matches /${v.pattern}/`);
  return parts.length > 0 ? parts.join('; ') : `any ${v.type}`;
}

export function fixText(fix: StoredFix): string {
  return fix.content.map((p) => (typeof p === 'string' ? p : `<sub idref="${p.sub}"/>`)).join('');
}

function indent(text: string, by = '    '): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => (l ? by + l : l))
    .join('\n');
}

/** Variable id -> profile short id -> the value that profile gives it (for the profiles selecting the rule). */
export type ProfileValues = Map<string, { profile: string; value: string; selector: string | undefined }[]>;

export function profileValuesOf(rule: StoredRule, profiles: StoredProfile[]): ProfileValues {
  const out: ProfileValues = new Map();
  for (const p of profiles.filter((x) => rule.profiles.includes(x.shortId))) {
    for (const id of rule.variables) {
      const v = p.values[id];
      if (!v) continue;
      out.set(id, [...(out.get(id) ?? []), { profile: p.shortId, value: v.value, selector: v.selector }]);
    }
  }
  return out;
}

export function renderRule(
  rule: StoredRule,
  variables: StoredVariable[],
  profileValues: ProfileValues = new Map(),
): string {
  const out = [`${rule.shortId}  (${rule.id})`, `  title:     ${rule.title ?? ''}`];
  out.push(`  source:    ${rule.sourceId}${rule.benchmarkId ? ` (${rule.benchmarkId})` : ''}`);
  out.push(`  severity:  ${rule.severity}`);
  if (rule.profiles.length) out.push(`  profiles:  ${rule.profiles.join(', ')}`);
  if (rule.platforms.length) out.push(`  platforms: ${rule.platforms.join(', ')}`);
  if (rule.groups.length) out.push(`  groups:    ${rule.groups.map(short).join(' > ')}`);
  for (const i of rule.idents) out.push(`  ident:     ${i.value} (${i.system})`);
  if (rule.template) out.push(`  template:  ${rule.template.name} ${JSON.stringify(rule.template.vars)}`);
  if (rule.description) out.push('', '  Description:', indent(rule.description));
  if (rule.rationale) out.push('', '  Rationale:', indent(rule.rationale));
  const refs = Object.entries(rule.references).sort(([a], [b]) =>
    frameworkBase(a).localeCompare(frameworkBase(b)),
  );
  if (refs.length) {
    out.push('', '  References:');
    for (const [key, controls] of refs)
      out.push(`    ${frameworkTitle(key)} [${key}]: ${controls.join(', ')}`);
  }
  if (variables.length) {
    out.push('', '  Variables:');
    for (const v of variables) {
      const flags = [v.interactive ? 'interactive' : '', v.sensitive ? 'sensitive' : ''].filter(Boolean);
      const m = maskedVariable(v);
      out.push(
        `    ${v.name} (${v.type}${flags.length ? `, ${flags.join(', ')}` : ''}) = ${JSON.stringify(m.default)}${v.title ? `  ${v.title}` : ''}`,
      );
      out.push(`      allowed: ${allowed(m)}`);
      const inProfiles = profileValues.get(v.id) ?? [];
      if (inProfiles.length > 0) {
        const shown = inProfiles.map(
          (p) =>
            `${p.profile}=${JSON.stringify(displayValue(v, p.value))}${p.selector ? ` (${p.selector})` : ''}`,
        );
        out.push(`      in profiles: ${shown.join(', ')}`);
      }
    }
  }
  if (rule.checks.length) {
    out.push('', '  Checks:');
    for (const c of rule.checks) {
      const exp = c.exports.length ? ` exports ${c.exports.map(short).join(', ')}` : '';
      out.push(`    ${c.system} ${c.href}${c.name ? `#${c.name}` : ''}${exp}`);
    }
  }
  if (rule.fixes.length) {
    out.push('', '  Remediations:');
    for (const f of rule.fixes) {
      const attrs = [
        f.complexity && `complexity ${f.complexity}`,
        f.disruption && `disruption ${f.disruption}`,
        f.reboot !== undefined && `reboot ${f.reboot}`,
        f.strategy && `strategy ${f.strategy}`,
      ].filter(Boolean);
      out.push(`    ${f.kind} (${f.system})${attrs.length ? `: ${attrs.join(', ')}` : ''}`);
      out.push(indent(fixText(f), '      '));
    }
  }
  return `${out.join('\n')}\n`;
}
