import { compareDebianVersions } from '../../checks/parsers/dpkg-version.js';
import { rpmvercmp } from '../../checks/parsers/rpm-version.js';

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';
/**
 * rpmvercmp as the librpm oscap links against (rpm 4.18 on Debian 12; checked against oscap 1.3.7)
 * orders versions: the native `package` check's implementation, so SCAP and native rules agree.
 */
export const rpmVersionCompare = rpmvercmp;

/** Parts of an EVR; undefined when absent, which rpm's labelCompare treats as "older than any value". */
interface Evr {
  epoch: string | undefined;
  version: string;
  release: string | undefined;
}

/**
 * As rpm parses it: the epoch is the leading digits when a colon follows them (an empty one is "0"),
 * the release is what follows the last hyphen after that. Nothing is ever invalid: `x:1.0` is a
 * version without epoch.
 */
export function parseEvr(text: string): Evr {
  const m = /^\d*/.exec(text);
  const digits = m ? m[0] : '';
  let epoch: string | undefined;
  let rest = text;
  if (text[digits.length] === ':') {
    epoch = digits === '' ? '0' : digits;
    rest = text.slice(digits.length + 1);
  }
  const dash = rest.lastIndexOf('-');
  if (dash < 0) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) };
}

/** rpm's compare of optional parts: absent == absent, absent < present. */
function comparePart(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return rpmVersionCompare(a, b);
}

export function evrCompare(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  // A missing epoch is not 0 for rpm (and oscap): "1.0-1" < "0:1.0-1".
  return (
    comparePart(x.epoch, y.epoch) || comparePart(x.version, y.version) || comparePart(x.release, y.release)
  );
}

/**
 * debian_evr_string: dpkg's own ordering (epoch, upstream version, revision; `~` before everything),
 * the same comparison the native `package` check uses, so SCAP and native rules agree on versions.
 */
export function debianEvrCompare(a: string, b: string): number {
  return compareDebianVersions(a, b);
}

/**
 * OVAL `version` as oscap 1.3.7 compares it: field by field, each field read like C atoi (leading
 * integer, 0 when there is none) and the next field found by skipping one character, the digits that
 * follow and one separator. So `1.2a` equals `1.2` and missing fields are 0 (`1.2` equals `1.2.0`).
 */
export function versionCompare(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = atoi(a, i);
    const y = atoi(b, j);
    if (x !== y) return x < y ? -1 : 1;
    i = nextField(a, i);
    j = nextField(b, j);
  }
  return 0;
}

function atoi(s: string, at: number): bigint {
  const m = /^\s*([+-]?\d+)/.exec(s.slice(at));
  return m?.[1] ? BigInt(m[1]) : 0n;
}

function nextField(s: string, at: number): number {
  let k = at;
  if (k < s.length) k++;
  while (k < s.length && isDigit(s[k])) k++;
  if (k < s.length && !isDigit(s[k])) k++;
  return k;
}
