/**
 * Value quoting in fix scripts, checked by the real consumers: bash reads the `'...'` assignment
 * back, the YAML parser reads the scalar back, each to exactly the value.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { bashSingleQuoted, yamlScalar } from '../../../src/scap/remediation/substitute.js';

const run = promisify(execFile);

const VALUES = [
  ['a plain word', '/var/log/sudo.log'],
  ['a number', '027'],
  ['SSG dod_short banner (an apostrophe)', "^I've[\\s\\n]+read[\\s\\n]+\\&[\\s\\n]+consent\\.$"],
  ['a command substitution that must stay text', "'$(touch /tmp/pwned)' `id`"],
  ['YAML indicators', 'key: value # not a comment'],
  ['a leading dash and space', '- item '],
  ['the empty string', ''],
  ['a newline', 'line one\nline two'],
  ['YAML booleans and nulls stay strings', 'yes'],
  ['non-ASCII', 'Zugriff nur für Befugte'],
] as const;

describe('fix value quoting', () => {
  it.each(VALUES)('bash reads back %s', async (_name, value) => {
    const script = `v='${bashSingleQuoted(value)}'\nprintf '%s' "$v"`;
    const { stdout } = await run('bash', ['-c', script]);
    expect(stdout).toBe(value);
  });

  it.each(VALUES)('YAML reads back %s', (_name, value) => {
    const doc = parse(`vars:\n  v: !!str ${yamlScalar(value)}\n`) as { vars: { v: unknown } };
    expect(doc.vars.v).toBe(value);
  });

  it('leaves values oscap writes unquoted as they are (byte-identical output)', () => {
    for (const value of ['/var/log/sudo.log', '027', '-1', '0.pool.ntp.org,1.pool.ntp.org', 'DROP']) {
      expect(yamlScalar(value)).toBe(value);
      expect(bashSingleQuoted(value)).toBe(value);
    }
  });
});
