import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { quoteShellWord, shellCommandLine } from './shell-quote.js';

/** Words that break naive quoting: quotes, expansions, separators, globs, whitespace, non-ASCII. */
const HOSTILE = [
  '',
  'plain',
  "it's",
  "''",
  "'",
  '"double"',
  '$HOME',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal parameter expansion, on purpose
  '${PATH}',
  '$(id)',
  '`id`',
  'a;b',
  'a && b',
  'a|b',
  '> /tmp/x',
  '*',
  '?',
  '[a-z]',
  '~',
  '~root',
  '-n',
  '--',
  'line\nbreak',
  'tab\there',
  'back\\slash',
  '\\',
  '!history',
  '#comment',
  'a=b',
  'ünïcødé ✓',
  'mixed \'"$`\\ all',
];

describe('quoteShellWord', () => {
  it.each([
    ['', "''"],
    ['abc', "'abc'"],
    ["it's", "'it'\\''s'"],
    ['$x', "'$x'"],
    ['a b', "'a b'"],
  ])('%j -> %s', (word, quoted) => {
    expect(quoteShellWord(word)).toBe(quoted);
  });

  it('refuses a NUL byte (no argv can hold one)', () => {
    expect(() => quoteShellWord('a\0b')).toThrow(/NUL byte/);
  });

  it('refuses an empty argv', () => {
    expect(() => shellCommandLine([])).toThrow(/empty command/);
  });

  // The real test: a POSIX shell must hand every word back unchanged, as one argument each.
  for (const shell of ['/bin/sh', '/bin/dash', '/bin/bash']) {
    it.skipIf(!existsSync(shell))(`${shell} reads every hostile word back unchanged`, () => {
      const line = shellCommandLine(['printf', '%s\\0', ...HOSTILE]);
      const out = execFileSync(shell, ['-c', line], { cwd: '/', encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
    });
  }
});
