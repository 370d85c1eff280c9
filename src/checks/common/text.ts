/** Text helpers: line numbers of regex matches, path pieces, octal modes. */

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The text of the 1-based line. */
export function lineText(text: string, line: number): string {
  return text.split('\n')[line - 1] ?? '';
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

export function dirname(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const index = trimmed.lastIndexOf('/');
  return index <= 0 ? '/' : trimmed.slice(0, index);
}

/** `/a//b/./c/../d/` -> `/a/b/d` */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

export function parseMode(mode: string): number {
  return Number.parseInt(mode, 8);
}

export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** Truncates long lines quoted in evidence. */
export function clip(text: string, max = 200): string {
  const trimmed = text.trim();
  return trimmed.length > max ? `${trimmed.slice(0, max - 1)}…` : trimmed;
}
