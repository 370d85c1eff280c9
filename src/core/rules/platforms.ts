/**
 * Platform conditions (`debian>=12`, `ubuntu`) matched against os-release. Pure.
 */
import type { OsReleaseValue } from '../facts/fact-values.js';

const CONDITION = /^([a-z0-9._-]+?)(?:(>=|<=|=|>|<)([0-9][0-9.]*))?$/;

/** Compares dotted numeric versions: "22.04" < "22.10" < "24.04". */
export function compareDottedVersions(a: string, b: string): number {
  const left = a.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const right = b.split('.').map((part) => Number.parseInt(part, 10) || 0);
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function platformMatches(condition: string, os: OsReleaseValue): boolean {
  const match = CONDITION.exec(condition);
  if (!match) return false;
  const [, id, op, version] = match;
  if (os.id !== id && !os.idLike.includes(id as string)) return false;
  if (!op || !version) return true;
  // A version constraint only makes sense against the distribution it names, not an ID_LIKE parent.
  if (os.id !== id) return false;
  const cmp = compareDottedVersions(os.versionId, version);
  switch (op) {
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    default:
      return cmp === 0;
  }
}

export function anyPlatformMatches(conditions: readonly string[], os: OsReleaseValue): boolean {
  return conditions.some((condition) => platformMatches(condition, os));
}
