/**
 * Parsers for the files behind the account, package, mount and os-release facts. The tester uses
 * them to build facts from an in-memory file map exactly as a collector would from a disk.
 */
import type {
  GroupEntry,
  MountEntry,
  OsReleaseValue,
  PackageInfo,
  PasswdEntry,
  ShadowEntry,
} from '../core/facts/fact-values.js';

function eachLine(text: string, fn: (fields: string[], line: number) => void): void {
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '' || raw.trimStart().startsWith('#')) return;
    fn(raw.split(':'), index + 1);
  });
}

function numberOrNull(field: string | undefined): number | null {
  if (field === undefined || field.trim() === '') return null;
  const n = Number(field);
  return Number.isFinite(n) ? n : null;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  eachLine(text, (f, line) => {
    if (f.length < 7) return;
    out.push({
      name: f[0] ?? '',
      password: f[1] ?? '',
      uid: Number(f[2]),
      gid: Number(f[3]),
      gecos: f[4] ?? '',
      home: f[5] ?? '',
      shell: f.slice(6).join(':'),
      line,
    });
  });
  return out;
}

export function parseShadow(text: string): ShadowEntry[] {
  const out: ShadowEntry[] = [];
  eachLine(text, (f, line) => {
    if (f.length < 2) return;
    out.push({
      name: f[0] ?? '',
      password: f[1] ?? '',
      lastChange: numberOrNull(f[2]),
      minDays: numberOrNull(f[3]),
      maxDays: numberOrNull(f[4]),
      warnDays: numberOrNull(f[5]),
      inactiveDays: numberOrNull(f[6]),
      expire: numberOrNull(f[7]),
      line,
    });
  });
  return out;
}

export function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  eachLine(text, (f, line) => {
    if (f.length < 3) return;
    out.push({
      name: f[0] ?? '',
      password: f[1] ?? '',
      gid: Number(f[2]),
      members: (f[3] ?? '').split(',').filter((m) => m.trim() !== ''),
      line,
    });
  });
  return out;
}

/** /var/lib/dpkg/status: installed packages only ("install ok installed"). */
export function parseDpkgStatus(text: string): Record<string, PackageInfo> {
  const packages: Record<string, PackageInfo> = {};
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields: Record<string, string> = {};
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (m) fields[(m[1] ?? '').toLowerCase()] = m[2] ?? '';
    }
    const name = fields.package;
    const status = fields.status ?? '';
    if (!name || !/\binstalled$/.test(status) || /not-installed$/.test(status)) continue;
    packages[name] = {
      name,
      version: fields.version ?? '',
      status,
      ...(fields.architecture ? { arch: fields.architecture } : {}),
    };
  }
  return packages;
}

/** /proc/mounts lines. */
export function parseProcMounts(text: string): MountEntry[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [device = '', mountPoint = '', fsType = '', options = ''] = line.trim().split(/\s+/);
      return { device, mountPoint, fsType, options: options.split(',').filter((o) => o !== '') };
    });
}

export function parseOsRelease(text: string): OsReleaseValue {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) fields[m[1] ?? ''] = (m[2] ?? '').replace(/^["']|["']$/g, '');
  }
  return {
    id: fields.ID || 'linux',
    versionId: fields.VERSION_ID ?? '',
    idLike: (fields.ID_LIKE ?? '').split(/\s+/).filter((x) => x !== ''),
    prettyName: fields.PRETTY_NAME || 'Linux',
    fields,
  };
}
