/**
 * RPM version ordering (rpmvercmp, rpm >= 4.15): `[epoch:]version[-release]`; alphanumeric
 * segments compared numerically or lexically (a numeric segment beats an alphabetic one), `~`
 * sorts before everything and `^` after the end but before any other segment.
 */
const isDigit = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '9';
const isAlpha = (ch: string | undefined) => ch !== undefined && /[A-Za-z]/.test(ch);
const isAlnum = (ch: string | undefined) => isDigit(ch) || isAlpha(ch);

export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const test = numeric ? isDigit : isAlpha;
    let ei = i;
    let ej = j;
    while (ei < a.length && test(a[ei])) ei++;
    while (ej < b.length && test(b[ej])) ej++;
    if (ej === j) return numeric ? 1 : -1; // segments of different kinds: numbers are newer
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

function splitEvr(evr: string): { epoch: number; version: string; release: string } {
  const colon = evr.indexOf(':');
  const epoch = colon > 0 ? Number.parseInt(evr.slice(0, colon), 10) : 0;
  const rest = colon > 0 ? evr.slice(colon + 1) : evr;
  const dash = rest.lastIndexOf('-');
  return {
    epoch: Number.isFinite(epoch) ? epoch : 0,
    version: dash >= 0 ? rest.slice(0, dash) : rest,
    release: dash >= 0 ? rest.slice(dash + 1) : '',
  };
}

/** Compares `[epoch:]version[-release]`; a side without a release matches any release, as in rpm deps. */
export function compareRpmVersions(a: string, b: string): number {
  const x = splitEvr(a);
  const y = splitEvr(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  const version = rpmvercmp(x.version, y.version);
  if (version !== 0 || x.release === '' || y.release === '') return version;
  return rpmvercmp(x.release, y.release);
}
