/**
 * PCRE (what oscap compiles OVAL patterns with) -> JavaScript RegExp source.
 *
 * Differences that change SSG results and are translated:
 * - inline options: a leading `(?i)` (no `(?-i)` later) becomes the `i` flag; `(?i)` anywhere else,
 *   `(?i)…(?-i)` and `(?i:…)` become per-letter classes (`[kK]`), because Node 20 has no scoped
 *   modifiers; a leading `(?s)` / `(?m)` becomes the `s` / `m` flag;
 * - `$` without multiline: PCRE also matches before a final newline, JS does not;
 * - `\A`, `\z`, `\Z`, `\Q…\E`, `\h`, `\e`, `\a`, `\x{hh}`, `(?P<n>…)`, `(?P=n)`, `(?#…)` and POSIX
 *   classes such as `[[:space:]]`.
 * The `u` flag is never used: SSG patterns rely on identity escapes such as `\:` and `\-`.
 * Constructs JS cannot express (possessive quantifiers, atomic groups, recursion, conditionals,
 * backtracking verbs, `\G`, `\K`, `\p{…}`, …) throw a PcreTranslationError naming the construct.
 */
import { OvalEvalError } from './result.js';

export class PcreTranslationError extends OvalEvalError {
  override name = 'PcreTranslationError';
  constructor(
    readonly construct: string,
    readonly pattern: string,
  ) {
    super(`unsupported PCRE construct ${construct} in pattern ${JSON.stringify(pattern)}`);
  }
}

export interface TranslateOptions {
  /** PCRE_MULTILINE (textfilecontent54 `multiline` behavior): `^`/`$` at line boundaries. */
  multiline?: boolean;
  /** PCRE_DOTALL (textfilecontent54 `singleline` behavior). */
  dotAll?: boolean;
}

export interface TranslatedPattern {
  source: string;
  flags: string;
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\s',
  blank: ' \\t',
  punct: '!-\\/:-@\\[-`{-~',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

/** Escapes JS (without `u`) understands exactly as PCRE does. */
const SAME_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'n', 'r', 't', 'f', '0']);

const END_OF_SUBJECT = '(?![\\s\\S])';

export function translatePcre(pattern: string, options: TranslateOptions = {}): TranslatedPattern {
  return new Translator(pattern, options).run();
}

const cache = new Map<string, RegExp>();

/** Compiled and cached; the cache key includes the options because they change the translation. */
export function compilePcre(pattern: string, options: TranslateOptions = {}): RegExp {
  const key = `${options.multiline ? 'm' : ''}${options.dotAll ? 's' : ''}\u0000${pattern}`;
  let re = cache.get(key);
  if (!re) {
    const t = translatePcre(pattern, options);
    try {
      re = new RegExp(t.source, t.flags);
    } catch (e) {
      throw new PcreTranslationError(
        `(JavaScript rejects the translation: ${(e as Error).message})`,
        pattern,
      );
    }
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

class Translator {
  private i = 0;
  private out = '';
  private readonly flags = new Set<string>();
  /** Case-insensitive scopes emulated letter by letter: the group depth each one ends with. */
  private ci: number | undefined;
  private depth = 0;
  /** Per open group: whether closing it ends an emulated case-insensitive scope. */
  private readonly groupCi: (number | undefined)[] = [];

  constructor(
    private readonly p: string,
    options: TranslateOptions,
  ) {
    if (options.multiline) this.flags.add('m');
    if (options.dotAll) this.flags.add('s');
  }

  run(): TranslatedPattern {
    this.leadingOptions();
    while (this.i < this.p.length) this.atom();
    const order = ['i', 'm', 's'];
    return { source: this.out, flags: order.filter((f) => this.flags.has(f)).join('') };
  }

  private fail(construct: string): never {
    throw new PcreTranslationError(construct, this.p);
  }

  /** `(?i)`, `(?s)`, `(?m)` at the very start apply to the whole pattern: JS flags say exactly that. */
  private leadingOptions(): void {
    const m = /^\(\?([a-zA-Z]+)\)/.exec(this.p);
    if (!m) return;
    const opts = m[1] ?? '';
    // A later (?-i) means the scope ends, which a flag cannot express: leave it to the per-letter path.
    if (opts.includes('i') && /\(\?[a-zA-Z]*-[a-zA-Z]*i/.test(this.p)) return;
    for (const o of opts) {
      if (o === 'i' || o === 's' || o === 'm') this.flags.add(o);
      else this.fail(`(?${o}) option`);
    }
    this.i = m[0].length;
  }

  private atom(): void {
    const c = this.p[this.i] as string;
    if (c === '\\') {
      this.escape(false);
      return;
    }
    if (c === '[') {
      this.charClass();
      return;
    }
    if (c === '(') {
      this.group();
      return;
    }
    if (c === ')') {
      this.i++;
      this.depth--;
      const ended = this.groupCi.pop();
      if (ended !== undefined) this.ci = undefined;
      // A (?i) inside the group ends with it (PCRE option scope).
      if (this.ci !== undefined && this.ci > this.depth) this.ci = undefined;
      this.out += ')';
      return;
    }
    if (c === '$' && !this.flags.has('m')) {
      this.i++;
      // PCRE's $ also matches before a newline that ends the subject.
      this.out += `(?=\\n?${END_OF_SUBJECT})`;
      return;
    }
    if (c === '*' || c === '+' || c === '?') {
      this.i++;
      this.out += c;
      this.quantifierTail();
      return;
    }
    if (c === '{') {
      const m = /^\{\d+(,\d*)?\}/.exec(this.p.slice(this.i));
      if (m) {
        this.i += m[0].length;
        this.out += m[0];
        this.quantifierTail();
        return;
      }
    }
    this.i++;
    this.out += this.caseLetter(c);
  }

  /** After a quantifier: `?` (lazy) is JS too, `+` (possessive) is not. */
  private quantifierTail(): void {
    const next = this.p[this.i];
    if (next === '+') this.fail('possessive quantifier');
    if (next === '?') {
      this.i++;
      this.out += '?';
    }
  }

  private caseLetter(c: string): string {
    if (this.ci === undefined) return c;
    const lo = c.toLowerCase();
    const up = c.toUpperCase();
    return lo === up ? c : `[${lo}${up}]`;
  }

  private escape(inClass: boolean): void {
    const n = this.p[this.i + 1];
    if (n === undefined) this.fail('trailing backslash');
    this.i += 2;
    switch (n) {
      case 'A':
        if (inClass) this.fail('\\A inside a class');
        this.out += '(?<![\\s\\S])';
        return;
      case 'z':
        if (inClass) this.fail('\\z inside a class');
        this.out += END_OF_SUBJECT;
        return;
      case 'Z':
        if (inClass) this.fail('\\Z inside a class');
        this.out += `(?=\\n?${END_OF_SUBJECT})`;
        return;
      case 'h':
        this.out += inClass ? ' \\t' : '[ \\t]';
        return;
      case 'H':
        if (inClass) this.fail('\\H inside a class');
        this.out += '[^ \\t]';
        return;
      case 'e':
        this.out += '\\x1b';
        return;
      case 'a':
        this.out += '\\x07';
        return;
      case 'Q': {
        const end = this.p.indexOf('\\E', this.i);
        const lit = this.p.slice(this.i, end < 0 ? undefined : end);
        this.i = end < 0 ? this.p.length : end + 2;
        for (const ch of lit) {
          this.out += /[\\^$.*+?()[\]{}|/-]/.test(ch) ? `\\${ch}` : inClass ? ch : this.caseLetter(ch);
        }
        return;
      }
      case 'E':
        return; // a stray \E is ignored by PCRE
      case 'x': {
        const m = /^\{([0-9a-fA-F]{1,4})\}/.exec(this.p.slice(this.i));
        if (m) {
          this.i += m[0].length;
          this.out += `\\u${(m[1] ?? '').padStart(4, '0')}`;
          return;
        }
        if (this.p[this.i] === '{') this.fail('\\x{…} beyond U+FFFF');
        this.out += '\\x';
        return;
      }
      case 'P':
      case 'p':
        throw new PcreTranslationError(`\\${n}{…} Unicode property`, this.p);
      case 'X':
      case 'R':
      case 'G':
      case 'K':
      case 'C':
      case 'g':
      case 'k':
      case 'N':
      case 'o':
      case 'c':
      case 'v': // PCRE: vertical whitespace; JS: only \x0b
      case 'V':
        this.fail(`\\${n}`);
    }
    if (SAME_ESCAPES.has(n) || /[1-9]/.test(n)) {
      if (n === 'b' && inClass) this.out += '\\x08';
      else this.out += `\\${n}`;
      return;
    }
    if (/[a-zA-Z]/.test(n)) this.fail(`\\${n}`);
    // Identity escape of a symbol: same meaning in both (JS without the u flag accepts them all).
    this.out += `\\${n}`;
  }

  private charClass(): void {
    this.i++;
    this.out += '[';
    if (this.p[this.i] === '^') {
      this.i++;
      this.out += '^';
    }
    // PCRE: a ] right after [ or [^ is a literal.
    if (this.p[this.i] === ']') {
      this.i++;
      this.out += '\\]';
    }
    while (this.i < this.p.length) {
      const c = this.p[this.i] as string;
      if (c === ']') {
        this.i++;
        this.out += ']';
        return;
      }
      if (c === '\\') {
        this.escape(true);
        continue;
      }
      if (c === '[' && this.p[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i));
        if (m) {
          const cls = POSIX_CLASSES[m[2] ?? ''];
          if (!cls || m[1]) this.fail(`POSIX class [:${m[1]}${m[2]}:]`);
          this.i += m[0].length;
          this.out += cls;
          continue;
        }
      }
      if (c === '[') {
        // A literal [ in a class: escape it so JS never reads it as set notation.
        this.i++;
        this.out += '\\[';
        continue;
      }
      const range = /^([a-zA-Z])-([a-zA-Z])/.exec(this.p.slice(this.i));
      if (range && this.ci !== undefined) {
        const [all, a = '', b = ''] = range;
        this.i += all.length;
        this.out += `${a.toLowerCase()}-${b.toLowerCase()}${a.toUpperCase()}-${b.toUpperCase()}`;
        continue;
      }
      this.i++;
      if (this.ci !== undefined && c.toLowerCase() !== c.toUpperCase()) {
        this.out += c.toLowerCase() + c.toUpperCase();
      } else {
        this.out += c;
      }
    }
    this.fail('unterminated character class');
  }

  private group(): void {
    const rest = this.p.slice(this.i);
    if (!rest.startsWith('(?') && !rest.startsWith('(*')) {
      this.open('(', undefined);
      return;
    }
    if (rest.startsWith('(*')) this.fail('backtracking verb (*…)');
    const simple = ['(?:', '(?=', '(?!', '(?<=', '(?<!'].find((s) => rest.startsWith(s));
    if (simple) {
      this.open(simple, undefined);
      return;
    }
    let m = /^\(\?(?:P?<|')([A-Za-z_]\w*)[>']/.exec(rest);
    if (m) {
      this.open(`(?<${m[1]}>`, undefined, m[0].length);
      return;
    }
    m = /^\(\?P=([A-Za-z_]\w*)\)/.exec(rest);
    if (m) {
      this.i += m[0].length;
      this.out += `\\k<${m[1]}>`;
      return;
    }
    if (rest.startsWith('(?#')) {
      const end = this.p.indexOf(')', this.i);
      if (end < 0) this.fail('unterminated (?#…) comment');
      this.i = end + 1;
      return;
    }
    if (/^\(\?(R|[+-]?\d|&|P>)/.test(rest)) this.fail('recursion/subroutine call');
    // Option setting: (?i) (?-i) (?i:…) (?-i:…); only i can be scoped in JS before ES2025.
    m = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest);
    if (m) {
      const on = m[1] ?? '';
      const off = m[2] ?? '';
      for (const o of on + off) if (o !== 'i') this.fail(`scoped (?${o}) option`);
      const turnOn = on.includes('i') ? true : off.includes('i') ? false : undefined;
      this.i += m[0].length;
      if (m[3] === ')') {
        if (turnOn === true && !this.flags.has('i')) this.ci = this.depth;
        if (turnOn === false) {
          if (this.flags.has('i')) this.fail('(?-i) after a whole-pattern (?i)');
          this.ci = undefined;
        }
        return;
      }
      // (?i:…): a non-capturing group whose end restores the previous case mode.
      this.out += '(?:';
      this.depth++;
      const before = this.ci;
      if (turnOn === true && !this.flags.has('i')) {
        this.groupCi.push(before === undefined ? this.depth : undefined);
        this.ci = before ?? this.depth;
      } else if (turnOn === false && before !== undefined) {
        this.fail('(?-i:…) inside a case-insensitive scope');
      } else {
        this.groupCi.push(undefined);
      }
      return;
    }
    if (rest.startsWith('(?>')) this.fail('atomic group (?>…)');
    if (rest.startsWith('(?|')) this.fail('branch reset group (?|…)');
    if (rest.startsWith('(?(')) this.fail('conditional group (?(…)…)');
    this.fail(`group ${rest.slice(0, 4)}`);
  }

  private open(text: string, ci: number | undefined, length = text.length): void {
    this.i += length;
    this.out += text;
    this.depth++;
    this.groupCi.push(ci);
  }
}
