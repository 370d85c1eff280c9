/** Shared line handling for the config parsers. */

export interface SourceLine {
  /** Logical line with continuations joined. */
  text: string;
  /** 1-based number of the first physical line. */
  line: number;
}

/**
 * Splits text into lines, joining a line ending in a backslash with the next one, as PAM,
 * modprobe.d and systemd unit files do. The line number is that of the first physical line,
 * which is where an editor should jump.
 */
export function logicalLines(text: string, continuation: boolean): SourceLine[] {
  const physical = text.split(/\r?\n/);
  const out: SourceLine[] = [];
  for (let i = 0; i < physical.length; i++) {
    const start = i;
    let current = physical[i] ?? '';
    while (continuation && /\\$/.test(current) && i + 1 < physical.length) {
      i++;
      current = `${current.slice(0, -1)} ${physical[i] ?? ''}`;
    }
    if (continuation && /\\$/.test(current)) current = current.slice(0, -1);
    out.push({ text: current, line: start + 1 });
  }
  return out;
}

/** Removes one pair of matching surrounding quotes. */
export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1);
  return v;
}

/** Splits on whitespace, keeping double-quoted runs together (quotes removed), as sshd does. */
export function splitArgs(text: string): string[] {
  const args: string[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (const m of text.matchAll(re)) args.push(m[1] ?? m[2] ?? '');
  return args;
}

/** Byte-wise ordering, as systemd and glob(3) sort file names (not locale-aware). */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
