/**
 * systemd unit-file style ini: `[Section]` headers, `Key=Value`, `#`/`;` comments, backslash
 * continuation. Assigning an empty value resets the key (systemd semantics), so a later `Key=`
 * undoes an earlier assignment.
 */
import { logicalLines } from './lines.js';

export interface IniAssignment {
  section: string;
  key: string;
  /** Null when the assignment is an empty reset. */
  value: string | null;
  file: string;
  line: number;
  text: string;
}

export function parseIni(text: string, file: string): IniAssignment[] {
  const out: IniAssignment[] = [];
  let section = '';
  for (const { text: raw, line } of logicalLines(text, true)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#') || t.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(t);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    const m = /^([^=]+?)\s*=\s*(.*)$/.exec(t);
    if (!m) continue;
    const value = (m[2] ?? '').trim();
    out.push({ section, key: m[1] ?? '', value: value === '' ? null : value, file, line, text: t });
  }
  return out;
}
