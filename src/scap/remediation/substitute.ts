/**
 * `<sub idref>` substitution in fix scripts. oscap inserts the Value's text verbatim; SSG writes every
 * bash sub as `name='<sub/>'` and every Ansible sub as `name: !!str <sub/>`, so verbatim text breaks
 * the script for a value with a quote (bash) or a `: `/`#` (YAML). Vouch quotes for the context
 * it finds, and is byte-identical to oscap for every value that needs no quoting.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfFix, XccdfRule } from '../model/xccdf.js';
import type { ResolvedValue } from '../xccdf/resolve-profile.js';

export type Values = ReadonlyMap<string, Pick<ResolvedValue, 'id' | 'value'>>;

/** The text of a Value for a `'<sub/>'` place in bash: a quote closes, escapes and reopens. */
export function bashSingleQuoted(value: string): string {
  return value.replaceAll("'", `'\\''`);
}

/** A YAML scalar that reads back as exactly `value`: plain when safe, else double-quoted (JSON). */
export function yamlScalar(value: string): string {
  return /^[A-Za-z0-9_./@+,=-][A-Za-z0-9_./@+,=~ -]*$/.test(value) && !/ $/.test(value)
    ? value
    : JSON.stringify(value);
}

/** The value a `<sub idref>` of `rule` stands for; a sub naming no Value is an error in the content. */
export function subValue(values: Values, rule: XccdfRule, idref: string): string {
  if (idref === '@instance') {
    throw new VouchError(
      'BAD_FIX',
      `rule ${rule.id}: fix uses <instance>, which needs a multi-check result (not supported)`,
    );
  }
  const value = values.get(idref);
  if (!value) {
    throw new VouchError(
      'BAD_FIX',
      `rule ${rule.id}: fix <sub idref="${idref}"> names no Value of the benchmark`,
    );
  }
  return value.value;
}

/** Bash text of a fix: each sub replaced by its value, quoted for its `'...'` context. */
export function bashFixText(fix: XccdfFix, rule: XccdfRule, values: Values): string {
  let out = '';
  fix.content.forEach((part, i) => {
    if (typeof part === 'string') {
      out += part;
      return;
    }
    const value = subValue(values, rule, part.sub);
    const next = fix.content[i + 1];
    const quoted = out.endsWith("'") && typeof next === 'string' && next.startsWith("'");
    out += quoted ? bashSingleQuoted(value) : value;
  });
  return out;
}

/** Ids of the Values a fix uses, in order of appearance. */
export function subIds(fix: XccdfFix): string[] {
  return [
    ...new Set(fix.content.flatMap((p) => (typeof p === 'string' || p.sub === '@instance' ? [] : [p.sub]))),
  ];
}
