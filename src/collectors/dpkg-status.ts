/**
 * Parser for dpkg's status database (/var/lib/dpkg/status): RFC 822-style paragraphs.
 */
import type { PackageInfo } from '../core/facts/fact-values.js';

/**
 * Package states whose files are unpacked *and* configured. `triggers-pending` / `triggers-awaited`
 * are installed packages waiting for another package's trigger; dpkg lists them as installed too.
 * `half-installed`, `unpacked`, `half-configured` and `config-files` are not installed.
 */
const INSTALLED_STATES = new Set(['installed', 'triggers-pending', 'triggers-awaited']);

export function isInstalledStatus(status: string): boolean {
  const state = status.trim().split(/\s+/)[2];
  return state !== undefined && INSTALLED_STATES.has(state);
}

/** Fields of each paragraph, lower-cased names (dpkg field names are case-insensitive). */
export function* dpkgParagraphs(text: string): Generator<Map<string, string>> {
  let fields = new Map<string, string>();
  let last: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') {
      if (fields.size > 0) yield fields;
      fields = new Map();
      last = undefined;
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      fields.set(last, `${fields.get(last) ?? ''}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    fields.set(last, line.slice(colon + 1).trim());
  }
  if (fields.size > 0) yield fields;
}

/** Installed packages by name. With several architectures of one package, the first listed wins. */
export function parseDpkgStatus(text: string): Record<string, PackageInfo> {
  const packages: Record<string, PackageInfo> = {};
  for (const fields of dpkgParagraphs(text)) {
    const name = fields.get('package');
    const status = fields.get('status');
    if (!name || !status || !isInstalledStatus(status)) continue;
    if (Object.hasOwn(packages, name)) continue;
    const info: PackageInfo = { name, version: fields.get('version') ?? '', status };
    const arch = fields.get('architecture');
    if (arch) info.arch = arch;
    packages[name] = info;
  }
  return packages;
}

/** Output of `rpm -qa --qf RPM_QUERY_FORMAT`, as packages by name. */
export const RPM_QUERY_FORMAT = '%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n';

export function parseRpmQuery(stdout: string): Record<string, PackageInfo> {
  const packages: Record<string, PackageInfo> = {};
  for (const line of stdout.split('\n')) {
    const [name, epoch, version, release, arch] = line.split('\t');
    if (!name || version === undefined || Object.hasOwn(packages, name)) continue;
    const evr = `${epoch && epoch !== '0' ? `${epoch}:` : ''}${version}${release ? `-${release}` : ''}`;
    const info: PackageInfo = { name, version: evr, status: 'installed' };
    if (arch && arch !== '(none)') info.arch = arch;
    packages[name] = info;
  }
  return packages;
}
