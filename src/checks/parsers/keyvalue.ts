/** Generic `key = value` (or whitespace-separated) files with `#` comments; the last assignment wins. */

import { unquote } from './lines.js';
import type { Assignment } from './login-defs.js';

export function parseKeyValue(text: string, file: string, separator: '=' | ' '): Assignment[] {
  const out: Assignment[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = separator === '=' ? /^([^=]+?)\s*=\s*(.*)$/.exec(line) : /^(\S+)\s+(.*)$/.exec(line);
    if (!m) return;
    out.push({ key: m[1] ?? '', value: unquote(m[2] ?? ''), file, line: index + 1, text: line });
  });
  return out;
}
