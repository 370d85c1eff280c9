/**
 * ComplianceAsCode sources are Jinja templates (`{{{ expr }}}`, `{{% stmt %}}`, `{{# comment #}}`).
 * Vouch does not evaluate Jinja; it recognises the few macros that carry meaning for the store and
 * leaves every other expression verbatim.
 *
 * Statement lines would break YAML, so before parsing rule.yml and .var files a line holding only a
 * statement or comment is blanked (a line that is only a macro call outside a block scalar becomes a
 * YAML comment) (line numbers stay right), and of an `if`/`elif`/`else` chain only the first
 * branch is kept, so product-specific alternatives do not become duplicate keys.
 */

const STATEMENT_LINE = /^\s*\{\{%-?\s*(\w+).*?-?%\}\}\s*$/;
const COMMENT_LINE = /^\s*\{\{#.*?#\}\}\s*$/;
const EXPRESSION_LINE = /^\s*\{\{\{.*\}\}\}\s*$/;
const COMMENTED = '#\uE002';
const BLOCK_SCALAR_START = /:\s*[|>][-+0-9]*\s*$/;
const TOP_LEVEL_KEY = /^([A-Za-z_][\w@.-]*)\s*:/;

export function blankJinjaStatements(text: string): string {
  const lines = text.split('\n');
  // One entry per open if-block: whether the current branch is dropped.
  const branches: boolean[] = [];
  const dropping = () => branches.some(Boolean);
  // A statement or comment spanning lines: blank until it closes.
  let openUntil: string | undefined;
  const topKeys = new Set<string>();
  let skippingKey = false;
  // Indentation of the line that opened the block scalar we are in (`description: |-`).
  let blockIndent: number | undefined;
  return lines
    .map((line) => {
      if (openUntil !== undefined) {
        if (line.includes(openUntil)) openUntil = undefined;
        return '';
      }
      const opened = /^\s*\{\{([%#])/.exec(line);
      if (opened && !line.includes(opened[1] === '%' ? '%}}' : '#}}')) {
        openUntil = opened[1] === '%' ? '%}}' : '#}}';
        return '';
      }
      if (COMMENT_LINE.test(line)) return '';
      const statement = STATEMENT_LINE.exec(line)?.[1];
      if (statement === 'if') branches.push(false);
      else if ((statement === 'elif' || statement === 'else') && branches.length > 0)
        branches[branches.length - 1] = true;
      else if (statement === 'endif') branches.pop();
      if (statement !== undefined) return '';
      if (dropping()) return '';
      const indent = line.length - line.trimStart().length;
      if (blockIndent !== undefined && (line.trim() === '' || indent > blockIndent)) return line;
      blockIndent = BLOCK_SCALAR_START.test(line) ? indent : undefined;
      // Outside block scalars, a line that is only a macro call may expand to keys (the OCIL entry,
      // list items) Vouch cannot know: it becomes a YAML comment, which a mapping ignores and a
      // multi-line quoted string keeps as text (restoreExpressions removes the marker there).
      if (EXPRESSION_LINE.test(line)) return `${line.slice(0, indent)}${COMMENTED}${line.slice(indent)}`;
      // A top-level key set again inside a conditional block (`platform:` for one product): the
      // first one stands, the later one and its indented lines are dropped.
      const key = TOP_LEVEL_KEY.exec(line)?.[1];
      if (key !== undefined) {
        skippingKey = branches.length > 0 && topKeys.has(key);
        topKeys.add(key);
      } else if (skippingKey && line.trim() !== '' && !/^\s/.test(line)) {
        skippingKey = false;
      }
      return skippingKey ? '' : line;
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

const OPEN = '\uE000';
const CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

/**
 * `path: {{{ audisp_conf_path }}}/x` is a flow mapping to YAML, and `'{{{ a if b else '0' }}}'` an
 * unterminated string. Before parsing, each single-line `{{{ … }}}` becomes a token of private-use
 * characters (plain-scalar text to YAML; lines keep their numbers); restoreExpressions puts the
 * expressions back in every parsed string.
 */
export interface ProtectedYaml {
  text: string;
  expressions: string[];
}

export function yamlText(text: string): ProtectedYaml {
  const expressions: string[] = [];
  const protectedText = blankJinjaStatements(text).replace(/\{\{\{.*?\}\}\}/g, (expr) => {
    expressions.push(expr);
    return `${OPEN}${expressions.length - 1}${CLOSE}`;
  });
  return { text: continueQuotedScalars(protectedText), expressions };
}

const QUOTED_START = /^\s*(?:-\s+)?[\w@.-]+:\s+(['"])(.*)$/;

function closes(rest: string, quote: string): boolean {
  const text = quote === "'" ? rest.replaceAll("''", '') : rest.replaceAll('\\\\', '').replaceAll('\\"', '');
  return text.includes(quote);
}

/**
 * The lines of a multi-line quoted scalar that were macro calls (`description: '{{{ a() }}}` then
 * `{{{ b() }}}'` at column 0) are valid only once Jinja has rendered them: indent them, and undo the
 * comment marker, so the string parses as the build would see it.
 */
function continueQuotedScalars(text: string): string {
  let quote: string | undefined;
  return text
    .split('\n')
    .map((line) => {
      if (quote === undefined) {
        const m = QUOTED_START.exec(line);
        if (m && !closes(m[2] ?? '', m[1]!)) quote = m[1];
        return line;
      }
      const body = line.replace(COMMENTED, '');
      if (closes(body, quote)) quote = undefined;
      return /^\S/.test(body) ? ` ${body}` : body;
    })
    .join('\n');
}

export function restoreExpressions(value: unknown, expressions: string[]): unknown {
  if (typeof value === 'string') {
    return value.replaceAll(COMMENTED, '').replace(TOKEN, (_t, i: string) => expressions[Number(i)] ?? '');
  }
  if (Array.isArray(value)) return value.map((v) => restoreExpressions(v, expressions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        restoreExpressions(k, expressions) as string,
        restoreExpressions(v, expressions),
      ]),
    );
  }
  return value;
}
