/**
 * ComplianceAsCode sources are Jinja templates (`{{{ expr }}}`, `{{% stmt %}}`, `{{# comment #}}`).
 * Vouch does not evaluate Jinja; it recognises the few macros that carry meaning for the store and
 * leaves every other expression verbatim.
 *
 * Statement lines would break YAML, so before parsing rule.yml and .var files a line holding only a
 * statement or comment is blanked (line numbers stay right), and of an `if`/`elif`/`else` chain only
 * the first branch is kept, so product-specific alternatives do not become duplicate keys.
 */

const STATEMENT_LINE = /^\s*\{\{%-?\s*(\w+).*?-?%\}\}\s*$/;
const COMMENT_LINE = /^\s*\{\{#.*?#\}\}\s*$/;

export function blankJinjaStatements(text: string): string {
  const lines = text.split('\n');
  // One entry per open if-block: whether the current branch is dropped.
  const branches: boolean[] = [];
  const dropping = () => branches.some(Boolean);
  return lines
    .map((line) => {
      if (COMMENT_LINE.test(line)) return '';
      const statement = STATEMENT_LINE.exec(line)?.[1];
      if (statement === 'if') branches.push(false);
      else if ((statement === 'elif' || statement === 'else') && branches.length > 0)
        branches[branches.length - 1] = true;
      else if (statement === 'endif') branches.pop();
      if (statement !== undefined) return '';
      return dropping() ? '' : line;
    })
    .join('\n');
}

/** Short names given to a macro anywhere in `text`: `{{{ name("a", "b") }}}` -> [a, b]. */
export function macroArguments(text: string, name: string): string[] {
  const out: string[] = [];
  const call = new RegExp(`\\{\\{\\{-?\\s*${name}\\s*\\(([^)]*)\\)\\s*-?\\}\\}\\}`, 'g');
  for (const m of text.matchAll(call)) {
    for (const arg of (m[1] ?? '').matchAll(/["']([^"']+)["']/g)) if (arg[1]) out.push(arg[1]);
  }
  return out;
}

export const VALUE_PREFIX = 'xccdf_org.ssgproject.content_value_';
export const RULE_PREFIX = 'xccdf_org.ssgproject.content_rule_';

export type FixPart = string | { sub: string };

/**
 * A remediation's text with `bash_instantiate_variables` / `ansible_instantiate_variables` expanded
 * the way the CaC build expands them, the value itself left as a `{ sub }` part (what `<sub idref>`
 * becomes in a data stream), so fix generation substitutes tailored values in both kinds of source.
 */
export function expandInstantiateMacros(text: string, kind: 'bash' | 'ansible'): FixPart[] {
  const name = kind === 'bash' ? 'bash_instantiate_variables' : 'ansible_instantiate_variables';
  const call = new RegExp(`\\{\\{\\{-?\\s*${name}\\s*\\(([^)]*)\\)\\s*-?\\}\\}\\}`, 'g');
  const parts: FixPart[] = [];
  let last = 0;
  const push = (p: FixPart) => {
    const prev = parts[parts.length - 1];
    if (typeof p === 'string' && typeof prev === 'string') parts[parts.length - 1] = prev + p;
    else if (p !== '') parts.push(p);
  };
  for (const m of text.matchAll(call)) {
    push(text.slice(last, m.index));
    for (const arg of (m[1] ?? '').matchAll(/["']([^"']+)["']/g)) {
      const variable = arg[1] ?? '';
      if (kind === 'bash') {
        push(`${variable}='`);
        push({ sub: VALUE_PREFIX + variable });
        push(`'\n`);
      } else {
        push(`- name: XCCDF Value ${variable} # promote to variable\n  set_fact:\n    ${variable}: !!str `);
        push({ sub: VALUE_PREFIX + variable });
        push('\n  tags:\n    - always\n');
      }
    }
    last = (m.index ?? 0) + m[0].length;
  }
  push(text.slice(last));
  return parts;
}
