/**
 * Parsers for /etc/passwd, /etc/shadow and /etc/group, keeping 1-based line numbers for evidence.
 *
 * Blank lines, `#` comments and NIS compat lines (`+`/`-`) are not accounts. Other malformed lines
 * (too few fields, a non-numeric id) are skipped: the value has no room to carry them, and glibc
 * skips them too, so they grant no login. Checks that want to flag them can read the raw file
 * through `file-text`.
 */
import type { GroupEntry, PasswdEntry, ShadowEntry } from '../core/facts/fact-values.js';

const ID = /^\d+$/;

function* records(text: string): Generator<{ fields: string[]; line: number }> {
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const raw = (lines[index] ?? '').replace(/\r$/, '');
    if (raw.trim() === '' || raw.startsWith('#') || raw.startsWith('+') || raw.startsWith('-')) continue;
    yield { fields: raw.split(':'), line: index + 1 };
  }
}

export function parsePasswd(text: string): PasswdEntry[] {
  const entries: PasswdEntry[] = [];
  for (const { fields, line } of records(text)) {
    if (fields.length < 7) continue;
    const [name = '', password = '', uid = '', gid = '', gecos = '', home = ''] = fields;
    if (name === '' || !ID.test(uid) || !ID.test(gid)) continue;
    // A shell field holding ':' is not valid, but keep it whole rather than dropping the account.
    const shell = fields.slice(6).join(':');
    entries.push({ name, password, uid: Number(uid), gid: Number(gid), gecos, home, shell, line });
  }
  return entries;
}

function optionalNumber(field: string | undefined): number | null {
  return field !== undefined && ID.test(field) ? Number(field) : null;
}

/**
 * Shadow lines are kept with as little as a name and a password field: an account with a short
 * line still exists, and rules about empty passwords must see it.
 */
export function parseShadow(text: string): ShadowEntry[] {
  const entries: ShadowEntry[] = [];
  for (const { fields, line } of records(text)) {
    const [name = '', password] = fields;
    if (name === '' || password === undefined) continue;
    entries.push({
      name,
      password,
      lastChange: optionalNumber(fields[2]),
      minDays: optionalNumber(fields[3]),
      maxDays: optionalNumber(fields[4]),
      warnDays: optionalNumber(fields[5]),
      inactiveDays: optionalNumber(fields[6]),
      expire: optionalNumber(fields[7]),
      line,
    });
  }
  return entries;
}

export function parseGroup(text: string): GroupEntry[] {
  const entries: GroupEntry[] = [];
  for (const { fields, line } of records(text)) {
    if (fields.length < 3) continue;
    const [name = '', password = '', gid = '', members = ''] = fields;
    if (name === '' || !ID.test(gid)) continue;
    entries.push({
      name,
      password,
      gid: Number(gid),
      members: members
        .split(',')
        .map((member) => member.trim())
        .filter((member) => member !== ''),
      line,
    });
  }
  return entries;
}
