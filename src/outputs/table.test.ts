import { describe, expect, it } from 'vitest';
import { LEAKED_SECRET, leakyScanResult, SENSITIVE, sampleScanResult } from './fixtures.js';
import { renderTable } from './table.js';

const ESC = '\u001b';
const RULE_LINE =
  /^(fail|error|unknown|notchecked|pass|fixed|informational|notapplicable|notselected)\s+(\w+)\s+(\S+)\s+(.+)$/;

function ruleLines(text: string): Array<{ status: string; severity: string; id: string; index: number }> {
  return text.split('\n').flatMap((line, index) => {
    const m = RULE_LINE.exec(line);
    return m ? [{ status: m[1]!, severity: m[2]!, id: m[3]!, index }] : [];
  });
}

describe('table report', () => {
  const scan = sampleScanResult();
  const text = renderTable(scan);
  const lines = text.split('\n');

  it('starts with a header naming target, profile and time', () => {
    expect(lines[0]).toBe('Vouch 0.1.0 compliance scan');
    expect(lines[1]).toMatch(/^Target\s+local host · web-01 · Debian GNU\/Linux 12 \(bookworm\) \[local\]$/);
    expect(lines[2]).toContain('cis-debian12-level1-server (CIS-style Debian 12 server, level 1)');
    expect(lines[3]).toMatch(/^Time\s+2026-11-25T23:00:00.000Z → 2026-11-25T23:00:04.210Z \(4.21 s\)$/);
  });

  it('prints one line per rule, failures first, most severe first', () => {
    const rules = ruleLines(text);
    expect(rules).toHaveLength(scan.results.length);
    expect(rules.slice(0, 4).map((r) => r.status)).toEqual(['fail', 'fail', 'fail', 'fail']);
    expect(rules.slice(0, 4).map((r) => r.severity)).toEqual(['high', 'medium', 'low', 'info']);
    expect(rules[4]).toMatchObject({ status: 'error', id: 'pam-faillock-configured' });
    expect(rules.at(-1)).toMatchObject({ status: 'notselected', id: 'grub-password-set' });
    // Title is on the rule's line.
    expect(lines[rules[0]!.index]).toContain('SSH server refuses root login');
  });

  it('indents the evidence of a failure under its rule', () => {
    const rules = ruleLines(text);
    const start = rules[0]!.index;
    const end = rules[1]!.index;
    const block = lines.slice(start + 1, end);
    expect(block).toEqual([
      '    PermitRootLogin is yes, expected no',
      '    - [file] /etc/ssh/sshd_config:14: expected no, found yes',
      '    - [file] /etc/ssh/sshd_config.d/50 cloud init.conf:3: found yes; PermitRootLogin yes',
    ]);
  });

  it('prints no evidence under passing rules', () => {
    const rules = ruleLines(text);
    const pass = rules.find((r) => r.id === 'sshd-max-auth-tries')!;
    expect(lines[pass.index + 1]).toMatch(RULE_LINE);
  });

  it('ends with counts by status and both scores', () => {
    expect(text).toMatch(
      /Summary\s+11 rules: 2 pass, 4 fail, 1 error, 1 notapplicable, 1 notchecked, 1 notselected, 1 informational/,
    );
    expect(text).toMatch(/Score\s+default 72\.5 {2}flat 61\.1 \(unweighted 57\.1\)\n$/);
  });

  it('is plain text unless colour is asked for', () => {
    expect(text).not.toContain(ESC);
    const coloured = renderTable(scan, { color: true });
    expect(coloured).toContain(`${ESC}[1m${ESC}[31mfail`);
    // Stripping the colour codes gives back the plain report: colour never changes layout.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping SGR sequences.
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(text);
  });

  it('shows control characters from scanned data as escapes, never raw', () => {
    expect(text).toContain('\\u001b[31mRED\\u0007');
    const coloured = renderTable(scan, { color: true });
    expect(coloured).not.toContain(`${ESC}[31mRED`);
    expect(coloured).not.toContain('\u0007');
  });

  it('never prints a sensitive value', () => {
    const out = renderTable(leakyScanResult(), { sensitiveVariables: SENSITIVE });
    expect(out).not.toContain(LEAKED_SECRET);
    expect(out).toContain('password hash differs from ********');
  });
});
