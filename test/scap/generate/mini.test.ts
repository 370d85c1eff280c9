/**
 * Generation internals on small hand-written inputs: the tag scanner finds the same element spans
 * as the XML parser (comments, CDATA, `>` in attribute values, nested same-name elements), and the
 * generator handles a default-namespace Benchmark and a remote check component-ref.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScapSource } from '../../../src/scap/datastream/parse-source.js';
import { benchmarksOf } from '../../../src/scap/datastream/resolve.js';
import { type ElementSpan, indexElement } from '../../../src/scap/generate/element-index.js';
import { generateDatastream } from '../../../src/scap/generate/generate.js';
import { parseXml, type XmlElement } from '../../../src/scap/xml/xml-tree.js';

const MINI = join(import.meta.dirname, '../fixtures/mini-ds.xml');

/** name@nameEnd-end of every element the index recorded, and of the same elements in the parse. */
function spans(element: ElementSpan): string[] {
  return [`${element.name}@${element.nameEnd}-${element.end}`, ...(element.children ?? []).flatMap(spans)];
}
function parsedSpans(element: XmlElement, depth: number, expand: (name: string) => boolean): string[] {
  const own = `${element.name}@${element.nameEnd}-${element.end}`;
  if (depth > 0 && !expand(element.name)) return [own];
  return [own, ...element.children.flatMap((c) => parsedSpans(c, 1, expand))];
}

describe('element index == XML parser spans', () => {
  const cases: [string, string][] = [
    ['plain nesting', '<a><b id="1"><c/></b><b id="2">t</b></a>'],
    ['prefixes and self-closing root children', '<x:a xmlns:x="u"><x:b/><x:b id="2"/></x:a>'],
    ['> and quotes inside attribute values', `<a><b t="1 > 0" u='say "hi"'><c/></b><d v="&lt;/b> b"/></a>`],
    ['comment and CDATA holding fake end tags', '<a><b><!-- </b> --><c><![CDATA[</b></c>]]></c></b><b/></a>'],
    ['a leaf nesting its own name', '<a><b><b><b/></b></b><b id="x"/></a>'],
    ['processing instruction and whitespace', '<a>\n  <?pi x?>\n  <b\n   id="1"\n  >x</b>\n</a>'],
  ];
  it.each(cases)('%s', (_name, xml) => {
    const expand = (name: string) => name === 'a';
    const index = indexElement(xml, 0, (e) => expand(e.name));
    expect(spans(index)).toEqual(parsedSpans(parseXml(xml), 0, expand));
  });

  it('records @id and @name', () => {
    const index = indexElement('<a><b id="i&amp;1" name="n"/></a>', 0, () => true);
    expect(index.children?.map((c) => [c.id, c.nameAttr])).toEqual([['i&1', 'n']]);
  });
});

describe('mini data stream (default-namespace Benchmark, remote check)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vouch-generate-mini-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the Profile in the Benchmark default namespace and keeps the remote component-ref', async () => {
    const out = join(dir, 'all.xml');
    await generateDatastream({ datastream: MINI, profile: 'all', output: out, cacheDir: null });
    const text = await readFile(out, 'utf8');
    const parsed = parseScapSource(text, out);
    const [ctx] = benchmarksOf(parsed);
    expect(ctx?.benchmark.profiles.map((p) => [p.id, p.selects.length])).toEqual([
      ['xccdf_org.example_profile_all', 2],
    ]);
    expect(text).toContain('<select idref="xccdf_org.example_rule_one" selected="true"/>');
    expect(text).toContain('xlink:href="https://example.org/cve.oval.xml"');
    expect(text).toContain('<cat:uri name="cve.xml" uri="#scap_org.example_cref_cve"/>');
    // No rule names a platform: no CPE dictionary, no CPE OVAL.
    expect([...parsed.components.keys()]).toEqual([
      'scap_org.example_comp_xccdf',
      'scap_org.example_comp_oval',
    ]);
  });

  it('--rule one: the remote ref goes with the only rule that named it', async () => {
    const out = join(dir, 'one.xml');
    await generateDatastream({
      datastream: MINI,
      profile: 'all',
      rules: ['one'],
      output: out,
      cacheDir: null,
    });
    const text = await readFile(out, 'utf8');
    expect(text).not.toContain('cve');
    const [ctx] = benchmarksOf(parseScapSource(text, out));
    expect([...ctx!.benchmark.rules.keys()]).toEqual(['xccdf_org.example_rule_one']);
  });
});
