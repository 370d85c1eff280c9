/**
 * OVAL 5.11 local_variable functions, computed exactly as oscap 1.3.7 computes them
 * (src/OVAL/oval_component.c and oval_variable.c), including where oscap departs from the spec.
 * Every departure below was replayed through `oscap oval eval` (test/scap-conformance/functions/):
 *
 * - flags of multi-argument functions (concat, count, unique) are aggregated with oscap's table:
 *   error > not applicable > not collected > does not exist > incomplete > complete; when the
 *   aggregate is not complete/incomplete the function produces no values (count still says "0");
 * - concat/arithmetic take the cartesian product with the FIRST argument varying fastest; an
 *   argument without values is skipped by concat (not an empty product);
 * - arithmetic keeps only the flag of its last argument (oscap: "todo: combine flags"); the result
 *   is int unless a float takes part, and a result whose first argument is not int/float has no
 *   text (oscap prints an uninitialised buffer, observed as "");
 * - regex_capture gives "" for a value the pattern does not match (or whose first group did not
 *   take part), and makes its flag complete as soon as it saw one value;
 * - substring: a start below 1 is 1, a length below 0 (or beyond the end) means "to the end", and a
 *   start beyond the end of a value makes the flag error (the other values are kept);
 * - unique returns the values sorted by byte order (oscap collects them through a string tree);
 * - time_difference parses dates with the year and month shifted by 1900 and 1 (oscap passes
 *   struct tm fields into a function that converts them again), wraps negative differences to
 *   unsigned 64 bits and cuts the decimal text to 15 characters;
 * - a local_variable that ends complete/incomplete without values is an error;
 * - inside the tree, values travel whatever the flag (only variable_component and the aggregating
 *   functions look at it), so e.g. regex_capture over count-of-nothing computes from "0".
 *
 * Pure and synchronous: the caller resolves referenced variables and object_component fields first
 * (`componentDependencies` says which) and hands them in through `ComponentInputs`.
 */
import type { OvalComponent } from '../model/oval.js';
import { compilePcre } from './pcre.js';
import { OvalEvalError } from './result.js';
import type { VariableValues } from './state-eval.js';
import type { CollectionFlag } from './test-eval.js';

/** Values flowing between functions: the values, how completely they were obtained, their datatype. */
export interface ComponentValues extends VariableValues {
  /** OVAL datatype of the values (`string`, `int`, `float`, …); oscap's arithmetic reads it. */
  datatype: string;
}

/** A resolved input: like ComponentValues, the datatype defaulting to `string`. */
export interface ResolvedInput extends VariableValues {
  /**
   * The variable's declared datatype (constant and external variables too) or the item entity's
   * datatype. Give it: arithmetic reads values by it (strtoll for int, strtof for float, strtod for
   * string), and a string-typed first argument makes arithmetic's result empty, as in oscap.
   */
  datatype?: string;
}

export interface ObjectFieldRef {
  objectRef: string;
  itemField: string;
  recordField: string | undefined;
}

export interface ComponentInputs {
  /**
   * A referenced variable as computed (a local_variable by `evaluateLocalVariable`); its values are
   * used only when the flag is complete/incomplete, and its datatype is the variable's datatype.
   */
  variable(varRef: string): ResolvedInput;
  /**
   * The `item_field` (record `field`) values of every item the object collected, in item order, the
   * flag being the object's collection flag (oscap uses the values whatever the flag). An item
   * without that entity, or a record/non-record mismatch, must be given as flag `error` (oscap does).
   */
  objectField(ref: ObjectFieldRef): ResolvedInput;
  /** Seconds since the epoch, for a one-argument time_difference; defaults to the clock. */
  now?: () => number;
}

export interface ComponentDependencies {
  /** Variable ids referenced by variable_component, in first-use order, without duplicates. */
  variables: string[];
  /** object_component references, in first-use order, without duplicates. */
  objectFields: ObjectFieldRef[];
}

/** What `evaluateComponent` needs to resolve before it can run. */
export function componentDependencies(component: OvalComponent): ComponentDependencies {
  const variables = new Set<string>();
  const fields = new Map<string, ObjectFieldRef>();
  const walk = (c: OvalComponent): void => {
    if (c.kind === 'variable_component') variables.add(c.varRef);
    else if (c.kind === 'object_component') {
      const ref = { objectRef: c.objectRef, itemField: c.itemField, recordField: c.recordField };
      fields.set(JSON.stringify([ref.objectRef, ref.itemField, ref.recordField ?? null]), ref);
    }
    for (const child of children(c)) walk(child);
  };
  walk(component);
  return { variables: [...variables], objectFields: [...fields.values()] };
}

function children(c: OvalComponent): OvalComponent[] {
  if ('components' in c) return c.components;
  if ('component' in c) return [c.component];
  return [];
}

/**
 * A local_variable's value: its function tree, then oscap's final rules: a complete/incomplete
 * result without values is an error, and the values take the variable's datatype (no conversion).
 * Only a complete/incomplete variable has values: oscap may hold some for another flag (count's "0"
 * over an object that does not exist), but nothing uses them, so they are not returned.
 */
export function evaluateLocalVariable(
  variable: { datatype: string; component: OvalComponent },
  inputs: ComponentInputs,
): ComponentValues {
  const result = evaluateComponent(variable.component, inputs);
  if (!hasValues(result.flag)) return { values: [], flag: result.flag, datatype: variable.datatype };
  if (result.values.length === 0) return { values: [], flag: 'error', datatype: variable.datatype };
  return { values: result.values, flag: result.flag, datatype: variable.datatype };
}

/** One component or function, as oscap's oval_component_eval_common computes it. */
export function evaluateComponent(component: OvalComponent, inputs: ComponentInputs): ComponentValues {
  switch (component.kind) {
    case 'literal_component': {
      // oscap's XML reader hands a whitespace-only text node over as no text at all.
      const value = /^[ \t\r\n]*$/.test(component.value) ? '' : component.value;
      return { values: [value], flag: 'complete', datatype: component.datatype };
    }
    case 'object_component': {
      const { objectRef, itemField, recordField } = component;
      return input(inputs.objectField({ objectRef, itemField, recordField }));
    }
    case 'variable_component': {
      const v = input(inputs.variable(component.varRef));
      // oscap copies a variable's values only when it has some to give.
      return hasValues(v.flag) ? v : { values: [], flag: v.flag, datatype: v.datatype };
    }
    case 'begin':
      return mapStrings(component.component, inputs, (s) =>
        s.startsWith(component.character) ? s : component.character + s,
      );
    case 'end':
      return mapStrings(component.component, inputs, (s) =>
        s.endsWith(component.character) ? s : s + component.character,
      );
    case 'escape_regex':
      return mapStrings(component.component, inputs, (s) => s.replace(/[\^$\\.[\](){}*+?|]/g, '\\$&'));
    case 'split':
      return split(component.delimiter, evaluateComponent(component.component, inputs));
    case 'substring':
      return substring(component.start, component.length, evaluateComponent(component.component, inputs));
    case 'regex_capture':
      return regexCapture(component.pattern, evaluateComponent(component.component, inputs));
    case 'glob_to_regex':
      return globToRegexAll(component.globNoEscape, evaluateComponent(component.component, inputs));
    case 'concat':
      return concat(component.components.map((c) => evaluateComponent(c, inputs)));
    case 'count':
      return count(component.components.map((c) => evaluateComponent(c, inputs)));
    case 'unique':
      return unique(component.components.map((c) => evaluateComponent(c, inputs)));
    case 'arithmetic':
      return arithmetic(
        component.operation,
        component.components.map((c) => evaluateComponent(c, inputs)),
      );
    case 'time_difference':
      return timeDifference(component, inputs);
    case 'unknown':
      throw new OvalEvalError(`local_variable function ${component.element} is not supported`);
  }
}

const hasValues = (flag: CollectionFlag): boolean => flag === 'complete' || flag === 'incomplete';

function input(v: ResolvedInput): ComponentValues {
  return { values: v.values, flag: v.flag, datatype: v.datatype ?? 'string' };
}

function mapStrings(arg: OvalComponent, inputs: ComponentInputs, fn: (s: string) => string): ComponentValues {
  const v = evaluateComponent(arg, inputs);
  return { values: v.values.map(fn), flag: v.flag, datatype: 'string' };
}

/** oscap's _flag_agg_map: the worse flag wins, in this order (unknown = nothing seen yet). */
const FLAG_RANK: Record<CollectionFlag, number> = {
  complete: 1,
  incomplete: 2,
  'does not exist': 3,
  'not collected': 4,
  'not applicable': 5,
  error: 6,
};

function aggregate(args: ComponentValues[]): CollectionFlag | undefined {
  let flag: CollectionFlag | undefined;
  for (const a of args) if (flag === undefined || FLAG_RANK[a.flag] > FLAG_RANK[flag]) flag = a.flag;
  return flag;
}

/** Cartesian product, first list varying fastest (oscap's odometer in concat and arithmetic). */
function product(lists: string[][]): string[][] {
  let out: string[][] = [[]];
  for (const list of lists) {
    const next: string[][] = [];
    for (const v of list) for (const prefix of out) next.push([...prefix, v]);
    out = next;
  }
  return out;
}

function concat(args: ComponentValues[]): ComponentValues {
  const flag = aggregate(args);
  // No arguments: oscap leaves the flag "unknown", which ends as an error variable.
  if (flag === undefined) return { values: [], flag: 'error', datatype: 'string' };
  if (!hasValues(flag)) return { values: [], flag, datatype: 'string' };
  // Arguments without values are left out of the product rather than emptying it.
  const lists = args.map((a) => a.values).filter((l) => l.length > 0);
  return { values: product(lists).map((parts) => parts.join('')), flag, datatype: 'string' };
}

function count(args: ComponentValues[]): ComponentValues {
  const flag = aggregate(args) ?? 'error';
  const n = hasValues(flag) ? args.reduce((sum, a) => sum + a.values.length, 0) : 0;
  return { values: [String(n)], flag, datatype: 'int' };
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

function unique(args: ComponentValues[]): ComponentValues {
  const flag = aggregate(args) ?? 'error';
  if (!hasValues(flag)) return { values: [], flag, datatype: 'string' };
  const set = new Set(args.flatMap((a) => a.values));
  // strcmp order: compare UTF-8 bytes, not UTF-16 code units.
  const values = [...set].sort((a, b) => Buffer.compare(utf8(a), utf8(b)));
  return { values, flag, datatype: 'string' };
}

function split(delimiter: string, v: ComponentValues): ComponentValues {
  const values = v.values.flatMap((s) => (delimiter === '' ? [...s] : s.split(delimiter)));
  return { values, flag: v.flag, datatype: 'string' };
}

function substring(start: number, length: number, v: ComponentValues): ComponentValues {
  const begin = !(start >= 1) ? 0 : Math.trunc(start) - 1;
  let flag = v.flag;
  const values: string[] = [];
  for (const s of v.values) {
    // oscap counts bytes; for the ASCII SSG feeds this, UTF-16 units are the same thing.
    if (begin < s.length) values.push(length < 0 ? s.slice(begin) : s.substr(begin, Math.trunc(length)));
    else flag = 'error';
  }
  return { values, flag, datatype: 'string' };
}

function regexCapture(pattern: string, v: ComponentValues): ComponentValues {
  // An untranslatable pattern throws (named by compilePcre); oscap would compute values for it.
  const re = compilePcre(pattern);
  let flag = v.flag;
  const values = v.values.map((s) => {
    flag = 'complete';
    re.lastIndex = 0;
    return re.exec(s)?.[1] ?? '';
  });
  return { values, flag, datatype: 'string' };
}

function globToRegexAll(noEscape: boolean, v: ComponentValues): ComponentValues {
  const values: string[] = [];
  for (const s of v.values) {
    const re = globToRegex(s, noEscape);
    if (re === undefined) return { values, flag: 'error', datatype: 'string' };
    values.push(re);
  }
  return { values, flag: v.flag, datatype: 'string' };
}

const GLOB_REGEX_SPECIALS = new Set(['.', '|', '^', '(', ')', '{', '}', '+', '$']);

/**
 * oscap's oval_glob_to_regex state machine, quirks included: a `*` or `?` at the start of the glob
 * or right after `/` does not match a leading dot, `[` right after `/` loses its bracket, and an
 * unterminated class is an error (undefined).
 */
export function globToRegex(glob: string, noEscape: boolean): string | undefined {
  type State = 'start' | 'normal' | 'leftBracket' | 'class' | 'escape' | 'slash';
  let state: State = 'start';
  let out = '^';
  for (let i = 0; ; i++) {
    const c = glob[i];
    if (state === 'leftBracket') {
      if (c === undefined) return undefined;
      out += c === '!' ? '^' : c;
      state = 'class';
      continue;
    }
    if (state === 'class') {
      if (c === undefined) return undefined;
      if (c === '\\' && noEscape) out += '\\';
      else if (c === ']') state = 'normal';
      out += c;
      continue;
    }
    if (state === 'escape') {
      if (c === undefined) return `${out}\\\\$`;
      out += c === '?' || c === '*' || c === '[' || c === ']' ? `\\${c}` : `\\\\${c}`;
      state = 'normal';
      continue;
    }
    if (c === undefined) return `${out}$`;
    const atSegmentStart = state === 'start' || state === 'slash';
    if (c === '/' && state !== 'slash') {
      out += c;
      state = 'slash';
    } else if (c === '?') {
      out += atSegmentStart ? '[^./]' : '[^/]';
      state = 'normal';
    } else if (c === '*') {
      out += atSegmentStart ? '(?=[^.])[^/]*' : '[^/]*';
      state = 'normal';
    } else if (GLOB_REGEX_SPECIALS.has(c)) {
      out += `\\${c}`;
      state = 'normal';
    } else if (c === '[') {
      if (state !== 'slash') out += '[';
      state = 'leftBracket';
    } else if (c === '\\') {
      if (noEscape) {
        out += '\\\\';
        state = 'normal';
      } else state = 'escape';
    } else {
      out += c;
      state = 'normal';
    }
  }
}

// ---------------------------------------------------------------------------------------------
// arithmetic

/**
 * oscap evaluates the arguments, then walks them from the LAST to the first (a linked list built
 * by prepending), so the first argument varies fastest, and only the last walk's flag survives.
 */
function arithmetic(op: 'add' | 'multiply', args: ComponentValues[]): ComponentValues {
  const root = args.at(-1);
  if (!root) throw new OvalEvalError('arithmetic without arguments');
  const rest = args.slice(0, -1).reverse();
  const values: string[] = [];
  let flag: CollectionFlag = root.flag;
  let datatype = 'int';
  const emit = (val: number, dt: string): void => {
    datatype = dt;
    values.push(formatArithmetic(val, dt));
  };
  /** One level of oscap's _oval_component_evaluate_ARITHMETIC_rec; returns its flag. */
  const walk = (level: number, acc: number, accType: string): CollectionFlag => {
    const arg = rest[level];
    if (!arg) {
      emit(acc, accType);
      return 'complete';
    }
    for (const text of arg.values) {
      const n = arithmeticNumber(text, arg.datatype);
      if (n === undefined) return 'error';
      const next = op === 'add' ? n + acc : n * acc;
      walk(level + 1, next, accType === 'float' ? 'float' : arg.datatype);
    }
    return 'complete';
  };
  for (const text of root.values) {
    const n = arithmeticNumber(text, root.datatype);
    if (n === undefined) return { values, flag: 'error', datatype };
    flag = walk(0, n, root.datatype);
  }
  return { values, flag, datatype };
}

/** How oscap reads a value by its datatype: strtod for strings, strtoll for int, strtof for float. */
function arithmeticNumber(text: string, datatype: string): number | undefined {
  if (datatype === 'int') return Number(strtoll(text));
  if (datatype === 'float') return Math.fround(strtod(text).value);
  if (datatype === 'string') {
    const r = strtod(text);
    return r.range ? undefined : r.value;
  }
  return undefined;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function strtoll(text: string): bigint {
  const m = /^[\t\n\v\f\r ]*([+-]?\d+)/.exec(text);
  if (!m?.[1]) return 0n;
  const v = BigInt(m[1]);
  return v < INT64_MIN ? INT64_MIN : v > INT64_MAX ? INT64_MAX : v;
}

/** strtod's decimal grammar (prefix, trailing text ignored) and whether it set ERANGE. */
function strtod(text: string): { value: number; range: boolean } {
  const t = text.replace(/^[\t\n\v\f\r ]+/, '');
  const special = /^([+-]?)(inf(inity)?|nan)/i.exec(t);
  if (special) {
    const neg = special[1] === '-';
    const v = special[2]?.toLowerCase().startsWith('n') ? Number.NaN : Number.POSITIVE_INFINITY;
    return { value: neg ? -v : v, range: false };
  }
  const m = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(t);
  if (!m) return { value: 0, range: false };
  const value = Number(m[0]);
  const nonZero = /[1-9]/.test(m[1] ?? '');
  const range = !Number.isFinite(value) || (nonZero && Math.abs(value) < 2.2250738585072014e-308);
  return { value, range };
}

/** "%ld" of (long) value for int, "%f" for float; any other datatype prints nothing usable. */
function formatArithmetic(value: number, datatype: string): string {
  if (datatype === 'int') {
    // A double outside long's range converts to LONG_MIN on x86-64 (cvttsd2si).
    if (!Number.isFinite(value) || Math.abs(value) >= 2 ** 63) return INT64_MIN.toString();
    return BigInt(Math.trunc(value)).toString();
  }
  if (datatype === 'float') return printfF6(value);
  return '';
}

/** C's "%f": six decimals from the exact binary value, ties to even (JS toFixed rounds ties up). */
export function printfF6(value: number): string {
  if (Number.isNaN(value)) return value < 0 ? '-nan' : 'nan';
  const negative = value < 0 || Object.is(value, -0);
  const x = Math.abs(value);
  if (x === Number.POSITIVE_INFINITY) return negative ? '-inf' : 'inf';
  // x = mantissa * 2^exponent exactly.
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mantissa = expBits === 0 ? frac : frac | (1n << 52n);
  const exponent = (expBits === 0 ? 1 : expBits) - 1075;
  // scaled = x * 10^6 as a fraction num/den.
  let num = mantissa * 10n ** 6n;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  let q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  const digits = q.toString().padStart(7, '0');
  const text = `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  return negative ? `-${text}` : text;
}

// ---------------------------------------------------------------------------------------------
// time_difference

const YMD = ['%Y%m%d', '%Y/%m/%d', '%Y-%m-%d', '%Y%m%dT%H%M%S', '%Y/%m/%d%n%T', '%Y-%m-%d%n%T'];
const MDY = ['%m/%d/%Y', '%m-%d-%Y', '%b,%n%d%n%Y', '%m/%d/%Y%n%T', '%m-%d-%Y%n%T', '%b,%n%d%n%Y%n%T'];
const DMY = ['%d/%m/%Y', '%d-%m-%Y', '%d/%m/%Y%n%T', '%d-%m-%Y%n%T'];

const U64 = 2n ** 64n;

function timeDifference(
  c: Extract<OvalComponent, { kind: 'time_difference' }>,
  inputs: ComponentInputs,
): ComponentValues {
  // oscap evaluates at most two arguments; a third one makes the function an error.
  if (c.components.length > 2 || c.components.length === 0) {
    return { values: [], flag: 'error', datatype: 'int' };
  }
  const evaluated = c.components.map((a) => evaluateComponent(a, inputs));
  const flag = evaluated.at(-1)?.flag ?? 'error';
  let first: { values: string[]; format: string };
  let second: { values: string[]; format: string };
  if (evaluated.length === 1) {
    // One argument: now - value, the value read with format_2 (as oscap does).
    const now = Math.floor(inputs.now ? inputs.now() : Date.now() / 1000);
    first = { values: [String(now)], format: 'seconds_since_epoch' };
    second = { values: evaluated[0]?.values ?? [], format: c.format2 };
  } else {
    first = { values: evaluated[0]?.values ?? [], format: c.format1 };
    second = { values: evaluated[1]?.values ?? [], format: c.format2 };
  }
  const values: string[] = [];
  for (const a of first.values) {
    for (const b of second.values) {
      const diff = (((parseDateTime(a, first.format) - parseDateTime(b, second.format)) % U64) + U64) % U64;
      // oscap prints "%lu" into a 16-byte buffer: at most 15 characters survive.
      values.push(diff.toString().slice(0, 15));
    }
  }
  return { values, flag, datatype: 'int' };
}

/** Seconds as oscap computes them for one value; 0 when the text does not parse. */
function parseDateTime(text: string, format: string): bigint {
  switch (format || 'year_month_day') {
    case 'year_month_day':
      return strptimeAny(text, YMD);
    case 'month_day_year':
      return strptimeAny(text, MDY);
    case 'day_month_year':
      return strptimeAny(text, DMY);
    case 'seconds_since_epoch': {
      const t = Number(strtoll(text));
      return BigInt(t - (isDst(t) ? 3600 : 0));
    }
    case 'cim_datetime':
      return cimDateTime(text);
    default:
      // win_filetime is a "todo" in oscap: always 0.
      return 0n;
  }
}

interface Tm {
  year: number;
  mon: number;
  mday: number;
  hour: number;
  min: number;
  sec: number;
}

function strptimeAny(text: string, formats: string[]): bigint {
  for (const fmt of formats) {
    const tm = strptime(text, fmt);
    // oscap hands tm_year (years since 1900) and tm_mon (0-based) to a function that subtracts
    // 1900 and 1 again: the date is moved back 1900 years and one month.
    if (tm) return compSec(tm.year, tm.mon, tm.mday, tm.hour, tm.min, tm.sec);
  }
  return 0n;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const FULL_MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** The glibc strptime subset the formats above use; the whole text must be consumed. */
function strptime(text: string, format: string): Tm | undefined {
  const tm: Tm = { year: 0, mon: 0, mday: 0, hour: 0, min: 0, sec: 0 };
  let i = 0;
  const ws = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  // glibc's get_number: skip spaces, then digits while another one could still fit under `hi`.
  const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';
  const num = (maxDigits: number, lo: number, hi: number): number | undefined => {
    ws();
    if (!isDigit(text[i])) return undefined;
    let v = 0;
    let n = maxDigits;
    do {
      v = v * 10 + Number(text[i++]);
    } while (--n > 0 && v * 10 <= hi && isDigit(text[i]));
    return v < lo || v > hi ? undefined : v;
  };
  const expanded = format.replaceAll('%T', '%H:%M:%S');
  for (let f = 0; f < expanded.length; f++) {
    const fc = expanded[f] as string;
    if (fc !== '%') {
      if (/\s/.test(fc)) ws();
      else if (text[i] === fc) i++;
      else return undefined;
      continue;
    }
    const spec = expanded[++f];
    let v: number | undefined;
    switch (spec) {
      case 'Y':
        v = num(4, 0, 9999);
        if (v === undefined) return undefined;
        tm.year = v - 1900;
        break;
      case 'm':
        v = num(2, 1, 12);
        if (v === undefined) return undefined;
        tm.mon = v - 1;
        break;
      case 'd':
        v = num(2, 1, 31);
        if (v === undefined) return undefined;
        tm.mday = v;
        break;
      case 'H':
        v = num(2, 0, 23);
        if (v === undefined) return undefined;
        tm.hour = v;
        break;
      case 'M':
        v = num(2, 0, 59);
        if (v === undefined) return undefined;
        tm.min = v;
        break;
      case 'S':
        v = num(2, 0, 61);
        if (v === undefined) return undefined;
        tm.sec = v;
        break;
      case 'n':
        ws();
        break;
      case 'b': {
        const rest = text.slice(i).toLowerCase();
        const full = FULL_MONTHS.findIndex((m) => rest.startsWith(m));
        const abbr = MONTHS.findIndex((m) => rest.startsWith(m));
        if (full >= 0) {
          tm.mon = full;
          i += (FULL_MONTHS[full] as string).length;
        } else if (abbr >= 0) {
          tm.mon = abbr;
          i += 3;
        } else return undefined;
        break;
      }
      default:
        return undefined;
    }
  }
  return i === text.length ? tm : undefined;
}

function cimDateTime(text: string): bigint {
  let m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\d{6}[+-]\d{3}$/.exec(text);
  if (m) return compSec(+(m[1] ?? 0), +(m[2] ?? 0), +(m[3] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}):\d{3}$/.exec(text);
  if (m) return compSec(+(m[1] ?? 0), +(m[2] ?? 0), +(m[3] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  m = /^(\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2}):(\d{2}):\d{3}$/.exec(text);
  if (m) return compSec(+(m[3] ?? 0), +(m[1] ?? 0), +(m[2] ?? 0), +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return 0n;
}

/** oscap's _comp_sec: mktime of a local date (fields normalised), minus an hour in DST. */
function compSec(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): bigint {
  const d = new Date(2000, 0, 1, 0, 0, 0, 0);
  d.setFullYear(year, month - 1, day);
  d.setHours(hour, minute, second, 0);
  const t = Math.floor(d.getTime() / 1000);
  return BigInt(t - (isDst(t) ? 3600 : 0));
}

/** localtime()'s tm_isdst: the zone's offset at t is ahead of its standard offset that year. */
function isDst(t: number): boolean {
  const d = new Date(t * 1000);
  const year = d.getFullYear();
  const jan = new Date(year, 0, 1).getTimezoneOffset();
  const jul = new Date(year, 6, 1).getTimezoneOffset();
  return d.getTimezoneOffset() < Math.max(jan, jul);
}
