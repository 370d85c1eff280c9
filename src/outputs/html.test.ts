import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOSTILE_MESSAGE, LEAKED_SECRET, leakyScanResult, SENSITIVE, sampleScanResult } from './fixtures.js';
import { renderHtml } from './html.js';

const remediations = {
  'sshd-permit-root-login-disabled': {
    bash: "sed -i 's/^PermitRootLogin.*/PermitRootLogin no/' /etc/ssh/sshd_config && systemctl reload ssh",
    ansible: '- ansible.builtin.lineinfile: {path: /etc/ssh/sshd_config, line: PermitRootLogin no}',
    manual: 'Set <PermitRootLogin no> in sshd_config.',
  },
  // A passing rule's remediation is not shown: the report is about what to fix.
  'sshd-max-auth-tries': { manual: 'UNUSED-REMEDIATION' },
};

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

function inner(html: string, tag: string): string {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html);
  if (!m) throw new Error(`no <${tag}>`);
  return m[1]!;
}

describe('html report', () => {
  const scan = sampleScanResult();
  const html = renderHtml(scan, { remediations });

  it('is one self-contained document', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html).not.toMatch(/<link\b|<img\b|<iframe\b|\bsrc=|@import|url\(|https?:\/\//i);
    expect(count(html, '<style>')).toBe(1);
  });

  it('escapes scanned text: a <script> in a message stays text', () => {
    expect(html).not.toContain(HOSTILE_MESSAGE);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('Banner is &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; friends');
    expect(html).toContain('Welcome &quot;guest&quot; &amp; &lt;b&gt;friends&lt;/b&gt;');
    expect(html).not.toContain('<b>friends');
    expect(html).toContain('friends&lt;/b&gt;\\u001b[31mRED\\u0007');
    // The only script is our own filter.
    expect(count(html, '<script')).toBe(1);
  });

  it('pins its own style and script in the Content-Security-Policy', () => {
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`style-src ${hash(inner(html, 'style'))}`);
    expect(csp).toContain(`script-src ${hash(inner(html, 'script'))}`);
    // CSP must precede the style for browsers to apply it to it.
    expect(html.indexOf('Content-Security-Policy')).toBeLessThan(html.indexOf('<style>'));
  });

  it('shows the score and counts', () => {
    expect(html).toContain('<div class="score-main" id="score-default">72.5</div>');
    expect(html).toContain('value="72.54"');
    expect(html).toMatch(/Flat score: <strong>61\.1<\/strong>/);
    expect(html).toContain('<tr><td><span class="badge fail">fail</span></td><td>4</td></tr>');
    expect(html).toContain('11 rules: 2 pass, 4 fail, 1 error');
  });

  it('lists failed rules first, with evidence, then the rest', () => {
    const failedHigh = html.indexOf('id="rule-sshd-permit-root-login-disabled"');
    const failedInfo = html.indexOf('id="rule-login-banner-set"');
    const errored = html.indexOf('id="rule-pam-faillock-configured"');
    const others = html.indexOf('<section id="others">');
    const passed = html.indexOf('id="rule-sshd-max-auth-tries"');
    expect(failedHigh).toBeGreaterThan(0);
    expect(failedHigh).toBeLessThan(failedInfo);
    expect(failedInfo).toBeLessThan(errored);
    expect(errored).toBeLessThan(others);
    expect(others).toBeLessThan(passed);
    expect(html).toContain('<h2>Failed and errored (5)</h2>');
    expect(html).toContain('<h2>Other results (6)</h2>');
    const card = html.slice(failedHigh, html.indexOf('</article>', failedHigh));
    expect(card).toContain('<td><code>/etc/ssh/sshd_config:14</code></td><td>no</td><td>yes</td>');
    expect(card).toContain('<code>disa-stig</code> V-238218');
  });

  it('shows remediation for failed rules, escaped', () => {
    const card = html.slice(
      html.indexOf('id="rule-sshd-permit-root-login-disabled"'),
      html.indexOf('id="rule-sysctl-ip-forward-disabled"'),
    );
    expect(card).toContain('<summary>Remediation</summary>');
    expect(card).toContain('<p>Set &lt;PermitRootLogin no&gt; in sshd_config.</p>');
    expect(card).toContain('/etc/ssh/sshd_config &amp;&amp; systemctl reload ssh</code></pre>');
    expect(card).toContain('<h4>Ansible</h4>');
    expect(html).not.toContain('UNUSED-REMEDIATION');
  });

  it('has a script that at least compiles', () => {
    expect(() => new Function(inner(html, 'script'))).not.toThrow();
  });

  it('reads without JavaScript: the filter box is hidden until the script shows it', () => {
    expect(html).toContain('<div id="filters" hidden>');
    expect(count(html, 'data-status=')).toBe(scan.results.length);
  });

  it('never prints a sensitive value', () => {
    const out = renderHtml(leakyScanResult(), {
      sensitiveVariables: SENSITIVE,
      // A fix generator that filled a placeholder with the secret.
      remediations: {
        'grub-password-set': { bash: `echo 'password_pbkdf2 root ${LEAKED_SECRET}' >> grub.cfg` },
      },
    });
    expect(out).not.toContain(LEAKED_SECRET);
    expect(out).toContain('<tr><td><code>grub_password_hash</code></td><td><code>********</code></td></tr>');
    expect(out).toContain('password_pbkdf2 root ********');
  });
});
