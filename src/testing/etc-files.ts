/**
 * Parsers for the files behind the account, package, mount and os-release facts. The tester builds
 * facts from an in-memory file map with the very parsers the collectors use on a disk, so a check
 * tested here sees exactly what it will see in a scan.
 */
import { parseGroup, parsePasswd, parseShadow } from '../collectors/account-files.js';
import { parseDpkgStatus } from '../collectors/dpkg-status.js';
import { osReleaseValue, parseOsRelease as parseOsReleaseFields } from '../collectors/os-release.js';
import type { OsReleaseValue } from '../core/facts/fact-values.js';
import { parseMountTable } from '../targets/mount-table.js';

export { parseDpkgStatus, parseGroup, parsePasswd, parseShadow };

/** /proc/mounts lines. */
export const parseProcMounts = parseMountTable;

export function parseOsRelease(text: string): OsReleaseValue {
  return osReleaseValue(parseOsReleaseFields(text));
}
