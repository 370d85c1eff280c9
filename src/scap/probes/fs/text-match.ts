/**
 * Matching a textfilecontent54 pattern over a whole file the way oscap 1.3.7 does
 * (textfilecontent54_probe.c + util.c `oscap_get_substrings`), verified with oscap-chroot:
 *
 * - the next search starts at the end of the previous match, or one past it when the match ended
 *   where the search started; so an empty match found ahead of the start offset is counted twice
 *   (`^` over "key=1\nkey=2\n" gives 3 instances, `$` gives 5, `x*` over "ab\n" gives 4);
 * - searching continues while the offset is <= the text length (an empty match at the very end counts);
 * - subexpressions are the capture groups that took part in the match, in order (unset groups are
 *   skipped, not reported empty);
 * - PCRE's multiline `^` does not match after a newline that ends the text (`^\s*$` finds nothing
 *   in "a\n"); JavaScript's does, so the translated pattern's `^` is rewritten here;
 * - the subject ends at the first NUL byte (oscap matches a C string).
 */
import { compilePcre } from '../../oval-eval/pcre.js';

export interface TextMatch {
  text: string;
  subexpressions: string[];
}

/** `^` as PCRE_MULTILINE defines it: at the start, or after a newline that is not the last character. */
const PCRE_MULTILINE_CARET = '(?:(?<![\\s\\S])|(?<=\\n)(?=[\\s\\S]))';

/** Rewrites every `^` assertion (outside classes, unescaped) of a translated JS pattern source. */
export function pcreMultilineCarets(source: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else out += c === '^' ? PCRE_MULTILINE_CARET : c;
  }
  return out;
}

export interface MatchOptions {
  multiline: boolean;
  singleline: boolean;
  ignoreCase: boolean;
}

const compiled = new Map<string, RegExp>();

function globalRegex(pattern: string, options: MatchOptions): RegExp {
  const key = `${options.multiline}${options.singleline}${options.ignoreCase}\u0000${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    const base = compilePcre(pattern, { multiline: options.multiline, dotAll: options.singleline });
    const source = options.multiline ? pcreMultilineCarets(base.source) : base.source;
    const flags = new Set([...base.flags, 'g']);
    if (options.ignoreCase) flags.add('i');
    // PCRE anchors a pattern that starts with `.*` under DOTALL implicitly (a later start could not
    // succeed where the earliest failed); JavaScript retries at every offset, which is quadratic on
    // a file without a match (1.6 s for SSG's `.*(?:^|\n)\s*(SYS_UID_MIN...)` on login.defs).
    // The sticky flag gives the same anchoring at each search offset, so results are unchanged.
    if (options.singleline && /^\.\*(?![?+])/.test(source)) flags.add('y');
    re = new RegExp(source, [...flags].join(''));
    compiled.set(key, re);
  }
  return re;
}

/** Every instance of `pattern` in `text`, in oscap's order and count. */
export function matchInstances(text: string, pattern: string, options: MatchOptions): TextMatch[] {
  const nul = text.indexOf('\u0000');
  const subject = nul >= 0 ? text.slice(0, nul) : text;
  const re = globalRegex(pattern, options);
  const matches: TextMatch[] = [];
  let offset = 0;
  while (offset <= subject.length) {
    re.lastIndex = offset;
    const m = re.exec(subject);
    if (!m) break;
    const end = m.index + m[0].length;
    offset = offset === end ? end + 1 : end;
    matches.push({ text: m[0], subexpressions: m.slice(1).filter((group) => group !== undefined) });
  }
  return matches;
}
