/** /etc/login.defs: `KEY VALUE` lines, case-sensitive keys, the last definition wins. */
import { unquote } from './lines.js';

export interface Assignment {
  key: string;
  value: string;
  file: string;
  line: number;
  text: string;
}

export function parseLoginDefs(text: string, file: string): Assignment[] {
  const out: Assignment[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s*(.*)$/.exec(line);
    if (!m) return;
    out.push({ key: m[1] ?? '', value: unquote(m[2] ?? ''), file, line: index + 1, text: line });
  });
  return out;
}

/** Last assignment per key. */
export function lastWins(assignments: readonly Assignment[]): Map<string, Assignment> {
  const map = new Map<string, Assignment>();
  for (const a of assignments) map.set(a.key, a);
  return map;
}
