/**
 * `vouch tailor --show`: the variables of a profile as a table or JSON. Every value of a sensitive
 * variable (current, default, selector values, choices) goes through displayValue, so neither
 * output can carry a secret.
 */
import { displayValue, type ScapVariable } from '../variables/typed-variable.js';
import type { ProfileVariable } from './profile-variables.js';

/** A variable as --show prints it: the typed variable's fields, values masked when sensitive. */
export type ShownVariable = Omit<ScapVariable, 'description' | 'operator'> & {
  /** The profile's value (masked when sensitive). */
  value: string;
  /** Where the value comes from: the Value's default, a profile's refine-value selector, a set-value. */
  source: 'default' | 'selector' | 'set-value';
  selector: string | undefined;
  /** Selected rules using it (short ids). */
  rules: string[];
};

export function shownVariables(list: readonly ProfileVariable[]): ShownVariable[] {
  return list.map(({ variable: v, current, rules }) => {
    const show = (text: string) => displayValue(v, text);
    return {
      name: v.name,
      id: v.id,
      title: v.title,
      type: v.type,
      value: show(current.value),
      source: current.source,
      selector: current.selector,
      default: show(v.default),
      selectors: Object.fromEntries(Object.entries(v.selectors).map(([k, text]) => [k, show(text)])),
      choices: v.choices?.map(show),
      suggestions: v.suggestions?.map(show),
      lowerBound: v.lowerBound,
      upperBound: v.upperBound,
      pattern: v.pattern,
      interactive: v.interactive,
      sensitive: v.sensitive,
      rules: rules.map((id) => /_rule_(.+)$/.exec(id)?.[1] ?? id),
    };
  });
}

export function renderVariablesJson(profileId: string, list: readonly ShownVariable[]): string {
  return `${JSON.stringify({ profile: profileId, variables: list }, null, 2)}\n`;
}

const MAX_CELL = 48;

function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** What may be given: the closed set, else bounds/pattern, then the named selectors. */
export function allowedText(v: ShownVariable): string {
  const parts: string[] = [];
  if (v.choices) parts.push(`one of ${v.choices.join('|')}`);
  if (v.lowerBound !== undefined || v.upperBound !== undefined) {
    parts.push(`${v.lowerBound ?? '-inf'}..${v.upperBound ?? 'inf'}`);
  }
  if (v.pattern !== undefined) parts.push(`/${v.pattern}/`);
  if (v.type === 'boolean') parts.push('true|false');
  const selectors = Object.entries(v.selectors).map(([k, text]) => `${k}=${text}`);
  if (selectors.length > 0) parts.push(`selectors ${selectors.join(', ')}`);
  if (v.suggestions) parts.push(`suggested ${v.suggestions.join('|')}`);
  return parts.join('; ') || 'any';
}

export function renderVariablesTable(profileId: string, list: readonly ShownVariable[]): string {
  const header = ['NAME', 'TYPE', 'VALUE', 'SOURCE', 'DEFAULT', 'ALLOWED', 'FLAGS'];
  const rows = list.map((v) => [
    v.name,
    v.type,
    cell(v.value),
    v.source === 'selector' ? `selector ${v.selector ?? ''}` : v.source,
    cell(v.default),
    cell(allowedText(v)),
    [v.interactive ? 'interactive' : '', v.sensitive ? 'sensitive' : ''].filter(Boolean).join(',') || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Profile ${profileId}: ${list.length} variable(s) used by its selected rules`,
    '',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
