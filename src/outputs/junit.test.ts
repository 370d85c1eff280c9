import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAKED_SECRET, leakyScanResult, SENSITIVE, sampleScanResult } from './fixtures.js';
import { renderJunit } from './junit.js';

/**
 * A minimal well-formedness check, so the test means something on machines without xmllint:
 * tags nest and close, attributes are quoted, entities are the predefined ones or numeric, and
 * no raw `<` or `&` or forbidden control character appears in text.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters.
  expect(body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let roots = 0;
  let consumed = 0;
  while (consumed < body.length) {
    const m = token.exec(body);
    if (m === null) break;
    consumed = token.lastIndex;
    const [, closing, name, attrs, selfClosing, text] = m;
    for (const entity of (text ?? attrs ?? '').match(/&[^;\s]*;?/g) ?? []) {
      expect(entity).toMatch(/^&(amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);$/);
    }
    if (text !== undefined) {
      if (stack.length === 0) expect(text.trim()).toBe('');
      continue;
    }
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) {
      if (stack.length === 0) roots++;
      stack.push(name!);
    } else if (stack.length === 0) roots++;
  }
  expect(consumed, `unparsable XML at: ${body.slice(consumed, consumed + 60)}`).toBe(body.length);
  expect(stack).toEqual([]);
  expect(roots).toBe(1);
}

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

function attrsOf(xml: string, tag: string): Array<Record<string, string>> {
  return [...xml.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, 'g'))].map((m) =>
    Object.fromEntries([...(m[1] ?? '').matchAll(/([\w.-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])),
  );
}

describe('junit report', () => {
  const scan = sampleScanResult();
  const xml = renderJunit(scan);

  it('is well-formed XML (built-in check)', () => {
    assertWellFormed(xml);
    // The check itself catches what an unescaped value would produce.
    expect(() => assertWellFormed('<a><b>x & y</b></a>')).toThrow();
    expect(() => assertWellFormed('<a><b>x</a></b>')).toThrow();
    expect(() => assertWellFormed('<a t="1 < 2"/>')).toThrow();
  });

  it.skipIf(!hasXmllint)('is well-formed XML (xmllint; skipped when libxml2-utils is not installed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vouch-junit-'));
    try {
      for (const [name, text] of [
        ['single.xml', xml],
        ['sections.xml', renderJunit(scan, { sections: { 'sshd-permit-root-login-disabled': 'ssh' } })],
      ] as const) {
        writeFileSync(join(dir, name), text);
        execFileSync('xmllint', ['--noout', join(dir, name)], { stdio: 'pipe' });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has one testcase per rule and counts by outcome', () => {
    expect(attrsOf(xml, 'testcase')).toHaveLength(scan.results.length);
    const [root] = attrsOf(xml, 'testsuites');
    expect(root).toMatchObject({ tests: '11', failures: '4', errors: '1', skipped: '3', time: '4.210' });
    const suites = attrsOf(xml, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0]).toMatchObject({ name: 'cis-debian12-level1-server', tests: '11', hostname: 'web-01' });
    expect(count(xml, '<failure ')).toBe(4);
    expect(count(xml, '<error ')).toBe(1);
    expect(count(xml, '<skipped ')).toBe(3);
  });

  it('maps statuses to JUnit outcomes, failures first', () => {
    const cases = [...xml.matchAll(/<testcase name="([^"]+)"[^>]*?(\/>|>\s*<([\w-]+))/g)].map((m) => [
      m[1],
      m[3] ?? 'passed',
    ]);
    expect(cases.slice(0, 5)).toEqual([
      ['sshd-permit-root-login-disabled', 'failure'],
      ['sysctl-ip-forward-disabled', 'failure'],
      ['file-etc-shadow-permissions', 'failure'],
      ['login-banner-set', 'failure'],
      ['pam-faillock-configured', 'error'],
    ]);
    expect(Object.fromEntries(cases)).toMatchObject({
      'service-avahi-disabled': 'skipped',
      'mount-tmp-separate': 'skipped',
      'grub-password-set': 'skipped',
      'sshd-max-auth-tries': 'passed',
      'fs-query-suid-review': 'system-out',
    });
  });

  it('puts the message in the failure attribute and the evidence in its body, escaped', () => {
    expect(xml).toContain(
      '<failure message="PermitRootLogin is yes, expected no" type="high">sshd-permit-root-login-disabled: SSH server refuses root login (severity high)\nPermitRootLogin is yes, expected no\n- [file] /etc/ssh/sshd_config:14: expected no, found yes',
    );
    expect(xml).toContain(
      'message="Banner is &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends"',
    );
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('\\u001b[31mRED\\u0007');
  });

  it('writes one testsuite per section when sections are given', () => {
    const out = renderJunit(scan, {
      sections: {
        'sshd-permit-root-login-disabled': 'ssh',
        'sshd-max-auth-tries': 'ssh',
        'sysctl-ip-forward-disabled': 'network',
      },
    });
    assertWellFormed(out);
    const suites = attrsOf(out, 'testsuite');
    expect(suites.map((s) => [s.name, s.tests, s.failures])).toEqual([
      ['network', '1', '1'],
      ['other', '8', '2'],
      ['ssh', '2', '1'],
    ]);
    expect(attrsOf(out, 'testsuites')[0]).toMatchObject({ tests: '11', failures: '4' });
  });

  it('never prints a sensitive value', () => {
    const out = renderJunit(leakyScanResult(), { sensitiveVariables: SENSITIVE });
    expect(out).not.toContain(LEAKED_SECRET);
    assertWellFormed(out);
  });
});

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}
