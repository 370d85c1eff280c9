/**
 * Version orderings for the OVAL datatypes `evr_string` (RPM), `debian_evr_string` (dpkg) and
 * `version`. Each returns <0, 0 or >0 like a sort comparator.
 *
 * SSG compares Debian package versions with `evr_string` (dpkginfo_state/evr), so oscap applies RPM's
 * ordering to them; we must do the same there, and dpkg's ordering only for `debian_evr_string`.
 */
import { OvalEvalError } from './result.js';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined): boolean =>
  c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));

function compareDigits(a: string, b: string): number {
  // Numeric strings of any length: drop leading zeros, then the longer one is larger.
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * rpmvercmp as oscap 1.3.7 embeds it (rpm 4.4 era: no `~`/`^` rules): alternating runs of digits
 * and letters, everything else a separator; a numeric run beats an alphabetic one; when one side
 * runs out, the side with characters left is newer.
 */
export function rpmVersionCompare(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    while (i < a.length && !isDigit(a[i]) && !isAlpha(a[i])) i++;
    while (j < b.length && !isDigit(b[j]) && !isAlpha(b[j])) j++;
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const take = numeric ? isDigit : isAlpha;
    const si = i;
    const sj = j;
    while (i < a.length && take(a[i])) i++;
    while (j < b.length && take(b[j])) j++;
    const x = a.slice(si, i);
    const y = b.slice(sj, j);
    // Different kinds of run at the same place: numbers are newer than letters.
    if (y.length === 0) return numeric ? 1 : -1;
    const c = numeric ? compareDigits(x, y) : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  const restA = i < a.length;
  const restB = j < b.length;
  if (!restA && !restB) return 0;
  return restA ? 1 : -1;
}

interface Evr {
  epoch: string;
  version: string;
  release: string;
}

/** `[epoch:]version[-release]`: epoch before the first colon, release after the last hyphen. */
export function parseEvr(text: string): Evr {
  const colon = text.indexOf(':');
  let epoch = '0';
  let rest = text;
  if (colon >= 0) {
    epoch = text.slice(0, colon) || '0';
    rest = text.slice(colon + 1);
  }
  if (!/^\d+$/.test(epoch)) throw new OvalEvalError(`invalid epoch in EVR "${text}"`);
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: '' };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

export function evrCompare(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  return (
    compareDigits(x.epoch, y.epoch) ||
    rpmVersionCompare(x.version, y.version) ||
    rpmVersionCompare(x.release, y.release)
  );
}

/** dpkg's character weight: `~` sorts before everything, even the end of the string; letters before other symbols. */
function dpkgOrder(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === '~') return -1;
  if (isAlpha(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: a non-digit prefix compared by dpkgOrder, then a number, repeated. */
export function dpkgVersionCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const d = dpkgOrder(a[i]) - dpkgOrder(b[j]);
      if (d !== 0) return d;
      i++;
      j++;
    }
    const si = i;
    const sj = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const c = compareDigits(a.slice(si, i) || '0', b.slice(sj, j) || '0');
    if (c !== 0) return c;
  }
  return 0;
}

export function debianEvrCompare(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  return (
    compareDigits(x.epoch, y.epoch) ||
    dpkgVersionCompare(x.version, y.version) ||
    dpkgVersionCompare(x.release, y.release)
  );
}

/**
 * OVAL `version`: components separated by any non-alphanumeric character, compared as integers
 * (missing components count as 0, so 1.2 equals 1.2.0). A non-numeric component is an error: the
 * datatype is defined for numeric components only.
 */
export function versionCompare(a: string, b: string): number {
  const x = a.split(/[^0-9A-Za-z]+/).filter((s) => s !== '');
  const y = b.split(/[^0-9A-Za-z]+/).filter((s) => s !== '');
  for (const part of [...x, ...y]) {
    if (!/^\d+$/.test(part)) throw new OvalEvalError(`non-numeric version component "${part}"`);
  }
  const n = Math.max(x.length, y.length);
  for (let k = 0; k < n; k++) {
    const c = compareDigits(x[k] ?? '0', y[k] ?? '0');
    if (c !== 0) return c;
  }
  return 0;
}
