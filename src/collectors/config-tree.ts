/**
 * `config-tree`: a configuration file and every file it includes, recursively, in reading order
 * (depth first: an included file's own includes come right after it). Each file appears once;
 * the check re-reads the include directives to apply them in place.
 */
import { posix } from 'node:path';
import type { ConfigTreeRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { GlobFile } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, type SourceRecorder } from './collector.js';
import { readMatchingFiles } from './file-glob.js';
import { expandGlob } from './glob.js';
import { readText } from './read-text.js';

/** sshd stops at 16 levels of Include (READCONF_MAX_DEPTH); sudo allows more, but loops are bugs. */
const MAX_DEPTH = 16;

/** sshd resolves relative Include paths against its configuration directory, not the including file. */
const SSHD_DIR = '/etc/ssh';

interface Include {
  /** As written, for `unmatchedIncludes`. */
  pattern: string;
  expand(sources: SourceRecorder): Promise<GlobFile[] | string[]>;
}

/**
 * Splits arguments like sshd's argv_split: whitespace separates, double quotes group (anywhere in
 * a word), a backslash escapes the next character.
 */
export function splitArguments(text: string): string[] {
  const args: string[] = [];
  let current = '';
  let inWord = false;
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += text[++index];
      inWord = true;
    } else if (char === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (!quoted && /\s/.test(char)) {
      if (inWord) args.push(current);
      current = '';
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (inWord) args.push(current);
  return args;
}

/** `Include` directives of an sshd_config, in order (keyword case-insensitive, `Include=x` allowed). */
export function sshdIncludes(text: string): string[] {
  const patterns: string[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*include(?:\s*=\s*|\s+)(.*)$/i.exec(line);
    if (!match?.[1]) continue;
    for (const arg of splitArguments(match[1])) {
      patterns.push(arg.startsWith('/') ? arg : `${SSHD_DIR}/${arg}`);
    }
  }
  return patterns;
}

export interface SudoersInclude {
  directive: 'include' | 'includedir';
  path: string;
}

/**
 * `@include`, `@includedir` and their legacy `#include` / `#includedir` spellings. A relative path
 * is relative to the including file's directory (sudo >= 1.9.1).
 */
export function sudoersIncludes(text: string, includingFile: string): SudoersInclude[] {
  const includes: SudoersInclude[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*[@#](include(?:dir)?)\s+(.+?)\s*$/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const raw = match[2].startsWith('"') ? (splitArguments(match[2])[0] ?? '') : match[2];
    if (raw === '') continue;
    const path = raw.startsWith('/') ? raw : posix.join(posix.dirname(includingFile), raw);
    includes.push({ directive: match[1] as SudoersInclude['directive'], path });
  }
  return includes;
}

/** sudo skips names ending in `~` or containing `.` in an includedir (editor and package leftovers). */
function sudoIncludedirName(name: string): boolean {
  return !name.endsWith('~') && !name.includes('.');
}

function includesOf(request: ConfigTreeRequest, file: GlobFile): Include[] {
  if (request.syntax === 'sshd') {
    return sshdIncludes(file.text).map((pattern) => ({
      pattern,
      expand: (sources) => expandGlob(sources, pattern),
    }));
  }
  return sudoersIncludes(file.text, file.path).map(({ directive, path }) => ({
    pattern: path,
    expand: async (sources) => {
      if (directive === 'includedir') return readMatchingFiles(sources, path, sudoIncludedirName);
      const stats = await sources.follow(path);
      return stats?.type === 'file' ? [path] : [];
    },
  }));
}

export function collectConfigTree(
  transport: Transport,
  request: ConfigTreeRequest,
): Promise<FactResult<'config-tree'>> {
  return collect(transport, async (sources) => {
    const files: GlobFile[] = [];
    const unmatchedIncludes: string[] = [];
    const seen = new Set<string>();

    const visit = async (file: GlobFile, depth: number): Promise<void> => {
      seen.add(file.path);
      files.push(file);
      if (depth >= MAX_DEPTH) return;
      for (const include of includesOf(request, file)) {
        const found = await include.expand(sources);
        if (found.length === 0) unmatchedIncludes.push(include.pattern);
        for (const item of found) {
          const path = typeof item === 'string' ? item : item.path;
          if (seen.has(path)) continue;
          const child = typeof item === 'string' ? await readFile(sources, path) : item;
          if (child) await visit(child, depth + 1);
        }
      }
    };

    const root = await readFile(sources, request.path);
    if (root) await visit(root, 0);
    return { status: 'ok', value: { files, unmatchedIncludes, exists: root !== null } };
  });
}

async function readFile(sources: SourceRecorder, path: string): Promise<GlobFile | null> {
  const read = await readText(sources, path);
  return read.text === undefined ? null : { path, text: read.text };
}
