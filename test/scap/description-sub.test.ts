/**
 * XCCDF `<sub idref="…"/>` inside texts: shown as `{short value name}` in the model's plain text
 * (descriptions, rationales, titles), where SSG writes "ClientAliveInterval <sub .../>" — not
 * dropped, which left "ClientAliveInterval The timeout…" with the value's place lost.
 */
import { describe, expect, it } from 'vitest';
import { benchmarksOf, parseScapSource } from '../../src/scap/index.js';

const XCCDF = `<?xml version="1.0"?>
<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" xmlns:h="http://www.w3.org/1999/xhtml"
  id="xccdf_org.example_benchmark_sub" resolved="1">
  <status>draft</status>
  <version>1</version>
  <Value id="xccdf_org.example_value_var_timeout" type="number"><value>300</value></Value>
  <Rule id="xccdf_org.example_rule_timeout" severity="medium">
    <title>Idle timeout of <sub idref="xccdf_org.example_value_var_timeout"/> seconds</title>
    <description>Set <h:code>ClientAliveInterval <sub idref="xccdf_org.example_value_var_timeout" use="legacy"/></h:code>
      in <h:code>/etc/ssh/sshd_config</h:code>.</description>
    <rationale>Sessions idle for <sub idref="plain-id"/> end.</rationale>
  </Rule>
</Benchmark>`;

describe('XCCDF <sub> in texts', () => {
  it('keeps the substitution point as {value name} in titles, descriptions and rationales', () => {
    const benchmark = benchmarksOf(parseScapSource(XCCDF, 'sub.xml'))[0]!.benchmark;
    const rule = benchmark.rules.get('xccdf_org.example_rule_timeout')!;
    expect(rule.title).toBe('Idle timeout of {var_timeout} seconds');
    expect(rule.description).toBe('Set ClientAliveInterval {var_timeout} in /etc/ssh/sshd_config.');
    expect(rule.rationale).toBe('Sessions idle for {plain-id} end.');
  });
});
