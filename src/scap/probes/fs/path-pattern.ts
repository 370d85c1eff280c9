/**
 * Where oscap starts walking for a `pattern match` path or filepath (oval_fts.c,
 * `extract_fixed_path_prefix`): the literal text before the first regex metacharacter, cut back to
 * the last `/`, with escapes removed. A leading `^` is skipped, and an unanchored pattern gets the
 * same prefix (verified: `/sub` walks from `/sub`, not `/`). Without a usable prefix the walk is `/`.
 */
const REGEX_START = '^*?$.([';

export function fixedPathPrefix(pattern: string): string {
  const path = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  let escaped = false;
  let stop = path.length;
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (c === '\\') escaped = !escaped;
    else if (REGEX_START.includes(c)) {
      if (!escaped) {
        stop = i;
        break;
      }
      escaped = false;
    }
  }
  let s = stop;
  if (s < path.length) {
    s--;
    while (s > 1 && path[s] !== '/') s--;
  }
  if (s > 1) {
    const literal = path.slice(0, s).replace(/\\(.)/g, '$1');
    if (literal.startsWith('/')) return literal;
  }
  return '/';
}

/**
 * oscap refuses (collects nothing for) a path pattern that cannot match a string starting with `/`:
 * it anchors the pattern and asks PCRE for a partial match of "/". We approximate that test by the
 * pattern's first character: a literal other than `/` cannot match.
 */
export function canMatchAbsolutePath(pattern: string): boolean {
  const body = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  const first = body[0];
  if (first === undefined) return true;
  if (first === '/') return true;
  // `\/`, and the classes that contain `/` (`\S`, `\W`, `\D`); `\d`, `\w`, `\s` do not.
  if (first === '\\') return ['/', 'S', 'W', 'D'].includes(body[1] ?? '');
  // `.`, a class or a group may match `/`; any other literal cannot.
  return first === '.' || first === '[' || first === '(';
}

/**
 * The literal text every match of an anchored (`^`) pattern starts with, escapes removed; undefined
 * when the pattern is not anchored or has a top-level alternation. Stricter than fixedPathPrefix:
 * it stops at any metacharacter, and drops a character a quantifier makes optional.
 */
export function anchoredLiteral(pattern: string): string | undefined {
  if (!pattern.startsWith('^')) return undefined;
  let depth = 0;
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return undefined;
    else if (c === '[') {
      // Skip a class (a `]` right after `[` or `[^` is literal).
      i += pattern[i + 1] === '^' ? 2 : 1;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
    }
  }
  let literal = '';
  for (let i = 1; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const next = pattern[i + 1];
      // `\.` `\/` `\-` are literal; `\d` `\s` `\w` ... are classes.
      if (next === undefined || /[A-Za-z0-9]/.test(next)) break;
      if ('?*{'.includes(pattern[i + 2] ?? '')) break;
      literal += next;
      i++;
      continue;
    }
    if ('^$.*+?()[]{}|'.includes(c)) break;
    if ('?*{'.includes(pattern[i + 1] ?? '')) break;
    literal += c;
  }
  return literal;
}
