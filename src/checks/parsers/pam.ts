/**
 * PAM service files (/etc/pam.d): `type control module [args]`, `#` comments, `\` continuation,
 * `[...]` controls and arguments that may contain spaces, a leading `-` on the type (skip the line
 * silently when the module is missing), Debian's `@include service` and Red Hat's
 * `type include|substack service`, both expanded in place.
 */
import { logicalLines } from './lines.js';

export interface PamLine {
  type: string;
  control: string;
  module: string;
  args: string[];
  file: string;
  line: number;
  text: string;
}

/** Splits on whitespace but keeps `[...]` together (brackets kept, `\]` allowed inside). */
export function splitPamFields(text: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (i >= text.length) break;
    let field = '';
    let depth = 0;
    while (i < text.length && (depth > 0 || !/\s/.test(text[i] as string))) {
      const ch = text[i] as string;
      if (ch === '\\' && text[i + 1] === ']') {
        field += ']';
        i += 2;
        continue;
      }
      if (ch === '[') depth++;
      else if (ch === ']' && depth > 0) depth--;
      field += ch;
      i++;
    }
    fields.push(field);
  }
  return fields;
}

export interface PamParse {
  lines: PamLine[];
  /** Services that were included but have no file. */
  missingIncludes: string[];
}

/**
 * Effective lines of one service. `read` returns a service's file text (by service name) or
 * undefined; includes are expanded recursively with a depth guard against include loops.
 */
export function expandPamService(
  service: string,
  read: (service: string) => { path: string; text: string } | undefined,
  depth = 0,
  onlyType?: string,
): PamParse {
  const result: PamParse = { lines: [], missingIncludes: [] };
  const file = read(service);
  if (!file) {
    result.missingIncludes.push(service);
    return result;
  }
  if (depth > 16) return result;
  for (const { text, line } of logicalLines(file.text, true)) {
    const t = text.trim();
    if (t === '' || t.startsWith('#')) continue;
    const fields = splitPamFields(t);
    if (fields[0] === '@include') {
      const nested = expandPamService(fields[1] ?? '', read, depth + 1, onlyType);
      result.lines.push(...nested.lines);
      result.missingIncludes.push(...nested.missingIncludes);
      continue;
    }
    const [rawType, control, module, ...args] = fields;
    if (!rawType || !control || !module) continue;
    const type = rawType.replace(/^-/, '').toLowerCase();
    if (onlyType && type !== onlyType) continue;
    if (control === 'include' || control === 'substack') {
      const nested = expandPamService(module, read, depth + 1, type);
      result.lines.push(...nested.lines);
      result.missingIncludes.push(...nested.missingIncludes);
      continue;
    }
    result.lines.push({ type, control, module, args, file: file.path, line, text: t });
  }
  return result;
}

/** `pam_unix.so`, `/lib/x86_64-linux-gnu/security/pam_unix.so` and `pam_unix` name the same module. */
export function pamModuleName(module: string): string {
  return module.slice(module.lastIndexOf('/') + 1).replace(/\.so$/, '');
}

/** `retry=3` -> {name: retry, value: '3'}; `nullok` -> {name: nullok}. */
export function pamArg(arg: string): { name: string; value?: string } {
  const eq = arg.indexOf('=');
  return eq < 0 ? { name: arg } : { name: arg.slice(0, eq), value: arg.slice(eq + 1) };
}
