/**
 * sshd_config semantics: keywords are case-insensitive, the first value obtained for a keyword
 * wins, `Include` is expanded in place (globs relative to /etc/ssh, sorted as glob(3) does), and
 * lines inside `Match` blocks do not apply to the global context.
 */
import picomatch from 'picomatch';
import type { GlobFile } from '../../core/facts/fact-values.js';
import { normalizePath } from '../common/text.js';
import { byteOrder, splitArgs } from './lines.js';

export interface SshdSetting {
  /** Keyword in lower case. */
  keyword: string;
  value: string;
  file: string;
  line: number;
  text: string;
}

export interface SshdConfig {
  /** Effective global settings by lower-case keyword. */
  global: Map<string, SshdSetting>;
  /** Settings that appear inside Match blocks (ignored for the global context). */
  inMatch: SshdSetting[];
  /** Include patterns that matched no file of the tree. */
  unmatchedIncludes: string[];
  problems: string[];
}

/**
 * OpenSSH appends these instead of keeping the first value ("XXX appends to list; doesn't respect
 * first-match-wins" in servconf.c), and the multi-valued listeners accumulate as well. An included
 * file cannot change the Match state of the file that includes it (servconf.c restores it).
 */
const ACCUMULATING = new Set([
  'acceptenv',
  'allowusers',
  'denyusers',
  'allowgroups',
  'denygroups',
  'hostkey',
  'listenaddress',
  'port',
]);

const MAX_DEPTH = 16; // READCONF_MAX_DEPTH in OpenSSH

export function parseSshdLine(raw: string): { keyword: string; args: string[] } | null {
  const text = raw.trim();
  if (text === '' || text.startsWith('#')) return null;
  const m = /^([^\s=]+)\s*(?:=\s*|\s+|$)(.*)$/.exec(text);
  if (!m) return null;
  return { keyword: (m[1] ?? '').toLowerCase(), args: splitArgs(m[2] ?? '') };
}

export function resolveSshdConfig(files: readonly GlobFile[], sshDir = '/etc/ssh'): SshdConfig {
  const byPath = new Map(files.map((file) => [file.path, file]));
  const paths = [...byPath.keys()];
  const result: SshdConfig = { global: new Map(), inMatch: [], unmatchedIncludes: [], problems: [] };
  const root = files[0];
  if (!root) return result;

  const visit = (file: GlobFile, depth: number, startInMatch: boolean): void => {
    let inMatch = startInMatch;
    const lines = file.text.split(/\r?\n/);
    lines.forEach((raw, index) => {
      const parsed = parseSshdLine(raw);
      if (!parsed) return;
      const line = index + 1;
      if (parsed.keyword === 'match') {
        // A Match block lasts to the next Match or the end of the file that opened it.
        inMatch = true;
        return;
      }
      if (parsed.keyword === 'include') {
        if (depth >= MAX_DEPTH) {
          result.problems.push(`${file.path}:${line}: Include nested deeper than ${MAX_DEPTH}`);
          return;
        }
        for (const pattern of parsed.args) {
          const absolute = normalizePath(pattern.startsWith('/') ? pattern : `${sshDir}/${pattern}`);
          const isMatch = picomatch(absolute, { dot: true });
          const matched = paths.filter((path) => isMatch(path)).sort(byteOrder);
          if (matched.length === 0 && !result.unmatchedIncludes.includes(pattern))
            result.unmatchedIncludes.push(pattern);
          for (const path of matched) {
            const included = byPath.get(path);
            if (included) visit(included, depth + 1, inMatch);
          }
        }
        return;
      }
      const setting: SshdSetting = {
        keyword: parsed.keyword,
        value: parsed.args.join(' '),
        file: file.path,
        line,
        text: raw.trim(),
      };
      if (inMatch) {
        result.inMatch.push(setting);
        return;
      }
      const first = result.global.get(parsed.keyword);
      if (!first) result.global.set(parsed.keyword, setting);
      else if (ACCUMULATING.has(parsed.keyword)) first.value = `${first.value} ${setting.value}`;
    });
  };
  visit(root, 0, false);
  return result;
}
