/**
 * Malformed and hostile input: a clear VouchError naming the file and position, never a hang, a crash
 * or an entity expansion. Also namespace handling (elements are matched by URI, not prefix).
 */
import { describe, expect, it } from 'vitest';
import { VouchError } from '../../src/core/errors.js';
import { benchmarksOf, parseScapSource } from '../../src/scap/index.js';
import { parseXml } from '../../src/scap/xml/xml-tree.js';

const BENCH = (body: string, attrs = '') =>
  `<?xml version="1.0"?><x:Benchmark xmlns:x="http://checklists.nist.gov/xccdf/1.2" id="b"${attrs}>${body}</x:Benchmark>`;

function errorOf(fn: () => unknown): VouchError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VouchError) return error;
    throw error;
  }
  throw new Error('expected a VouchError');
}

describe('hostile and malformed XML', () => {
  it('refuses a DOCTYPE, so entity expansion ("billion laughs") never happens', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<lolz>&lol2;</lolz>`;
    const error = errorOf(() => parseScapSource(lol, 'lol.xml'));
    expect(error.code).toBe('XML_PARSE');
    expect(error.message).toMatch(/^lol\.xml:2:\d+: DOCTYPE declarations are not allowed/);
  });

  it('refuses external entities (same DOCTYPE rule)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>`;
    expect(errorOf(() => parseScapSource(xxe, 'xxe.xml')).message).toContain(
      'DOCTYPE declarations are not allowed',
    );
  });

  it('reports an undefined entity reference', () => {
    const error = errorOf(() => parseXml('<r>&nope;</r>', { fileName: 'e.xml' }));
    expect(error.code).toBe('XML_PARSE');
    expect(error.message).toMatch(/^e\.xml: 1:\d+: undefined entity/);
  });

  it('reports a truncated document', () => {
    const error = errorOf(() => parseScapSource(BENCH('<x:Rule id="r">').slice(0, -20), 'cut.xml'));
    expect(error.code).toBe('XML_PARSE');
    expect(error.message).toMatch(/^cut\.xml: /);
  });

  it('reports text that is not XML', () => {
    expect(errorOf(() => parseScapSource('not xml at all', 'plain.txt')).code).toBe('XML_PARSE');
  });

  it('names the root of a document that is not SCAP content', () => {
    const error = errorOf(() => parseScapSource('<html xmlns="http://www.w3.org/1999/xhtml"/>', 'page.html'));
    expect(error.code).toBe('UNKNOWN_SCAP_DOCUMENT');
    expect(error.message).toBe(
      'page.html: root element {http://www.w3.org/1999/xhtml}html is not a SCAP source data stream, XCCDF 1.2 Benchmark or OVAL definitions document',
    );
  });
});

describe('namespaces', () => {
  it('matches elements by namespace URI whatever the prefix', () => {
    const source = parseScapSource(BENCH('<x:Rule id="r1" selected="false"><x:title>T</x:title></x:Rule>'));
    const benchmark = benchmarksOf(source)[0]!.benchmark;
    expect(benchmark.rules.get('r1')).toMatchObject({ title: 'T', selected: false });
  });

  it('records elements of unknown namespaces and unknown XCCDF elements instead of dropping them', () => {
    const source = parseScapSource(
      BENCH(
        '<y:extra xmlns:y="urn:example"/><x:Rule id="r1"><x:title>T</x:title><x:novel/></x:Rule><x:Mystery id="m"/>',
      ),
    );
    expect(benchmarksOf(source)[0]!.benchmark.unknown).toEqual([
      { construct: '{urn:example}extra', where: 'b', line: 1, reason: 'element not modelled' },
      {
        construct: '{http://checklists.nist.gov/xccdf/1.2}novel',
        where: 'r1',
        line: 1,
        reason: 'element not modelled',
      },
      {
        construct: '{http://checklists.nist.gov/xccdf/1.2}Mystery',
        where: 'b',
        line: 1,
        reason: 'element not modelled',
      },
    ]);
  });

  it('records foreign children of OVAL objects and unmodelled Value children', () => {
    const oval = parseScapSource(`<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"
  xmlns:ind="http://oval.mitre.org/XMLSchema/oval-definitions-5#independent"><objects>
  <ind:family_object id="o" version="1"><z:hint xmlns:z="urn:z"/></ind:family_object></objects></oval_definitions>`);
    const [component] = oval.components.values();
    expect(component?.content.kind === 'oval' && component.content.oval.unknown).toEqual([
      { construct: '{urn:z}hint', where: 'o', line: 3, reason: 'element not modelled' },
    ]);
    const xccdf = parseScapSource(
      BENCH('<x:Value id="v"><x:complex-value><x:item>a</x:item></x:complex-value></x:Value>'),
    );
    expect(benchmarksOf(xccdf)[0]!.benchmark.unknown).toEqual([
      {
        construct: '{http://checklists.nist.gov/xccdf/1.2}complex-value',
        where: 'v',
        line: 1,
        reason: 'multi-valued XCCDF Values are not modelled',
      },
    ]);
  });

  it('keeps attributes in foreign namespaces addressable by URI', () => {
    const root = parseXml('<r xmlns:q="urn:q" q:a="1" b="2"/>');
    expect(root.attrs).toEqual({ '{urn:q}a': '1', b: '2' });
  });
});
