/** modprobe.d: `install`, `blacklist`, `options`, `alias`… commands with `#` comments and `\` continuation. */
import { logicalLines } from './lines.js';

export interface ModprobeCommand {
  command: string;
  /** Module name with `-` folded to `_` (kmod treats them as the same). */
  module: string;
  args: string[];
  file: string;
  line: number;
  text: string;
}

export function normalizeModuleName(name: string): string {
  return name.replace(/-/g, '_');
}

export function parseModprobe(text: string, file: string): ModprobeCommand[] {
  const out: ModprobeCommand[] = [];
  for (const { text: raw, line } of logicalLines(text, true)) {
    const t = raw.trim();
    if (t === '' || t.startsWith('#')) continue;
    const [command, module, ...args] = t.split(/\s+/);
    if (!command || !module) continue;
    out.push({ command, module: normalizeModuleName(module), args, file, line, text: t });
  }
  return out;
}
