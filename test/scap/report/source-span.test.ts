/**
 * The parser extension the writers rely on (src/scap/xml/xml-tree.ts): every element records where it
 * sits in the source text (nameEnd, end) and its own namespace declarations; rawElementText and
 * detachedElementText cut an element out verbatim, the latter redeclaring inherited namespaces.
 * Offsets must hold for what makes UTF-16 indices and bytes differ (BOM, CR LF, astral characters,
 * multi-byte UTF-8) and across the 1 MiB chunks parseXmlFile reads.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScapSource } from '../../../src/scap/datastream/parse-source.js';
import {
  detachedElementText,
  parseXml,
  parseXmlFile,
  rawElementText,
  spanOf,
  type XmlElement,
} from '../../../src/scap/xml/xml-tree.js';

const SSG_D11 = '/usr/share/xml/scap/ssg/content/ssg-debian11-ds.xml';
const HAVE_SSG = existsSync(SSG_D11);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vouch-span-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function find(root: XmlElement, name: string): XmlElement {
  const stack = [root];
  while (stack.length > 0) {
    const e = stack.pop() as XmlElement;
    if (e.name === name) return e;
    stack.push(...e.children);
  }
  throw new Error(`no <${name}>`);
}

describe('element offsets', () => {
  it.each([
    { name: 'plain', text: '<r><a x="1">t</a><b/></r>', a: '<a x="1">t</a>', b: '<b/>' },
    {
      name: 'BOM and XML declaration',
      text: '\uFEFF<?xml version="1.0"?>\n<r><a>t</a><b/></r>',
      a: '<a>t</a>',
      b: '<b/>',
    },
    {
      name: 'CR LF inside and after tag names',
      text: '<r>\r\n<a\r\n  x="1">t\r\n</a>\r\n<b\r\n/>\r\n</r>',
      a: '<a\r\n  x="1">t\r\n</a>',
      b: '<b\r\n/>',
    },
    {
      name: 'astral and multi-byte characters before the element',
      text: '<r><!-- 😀 é ü --><c>😀😀</c><a>€</a><b/></r>',
      a: '<a>€</a>',
      b: '<b/>',
    },
    {
      name: 'prefixed names, comments and CDATA with < inside',
      text: '<p:r xmlns:p="urn:p"><!-- <p:a> --><![CDATA[<p:a>]]><p:a>x</p:a><p:b></p:b></p:r>',
      a: '<p:a>x</p:a>',
      b: '<p:b></p:b>',
    },
  ])('$name', ({ text, a, b }) => {
    const root = parseXml(text);
    expect(rawElementText(text, find(root, 'a'))).toBe(a);
    expect(rawElementText(text, find(root, 'b'))).toBe(b);
    expect(text.slice(0, root.end).endsWith('>')).toBe(true);
  });

  it('hold across the 1 MiB chunks of a file read from disk', async () => {
    // ~2.5 MiB of multi-byte text so chunk edges fall inside characters, names and CR LF pairs.
    const filler = Array.from({ length: 30_000 }, (_, i) => `<f i="${i}">é😀\r\n</f>`).join('\r\n');
    const text = `\uFEFF<r>${filler}<a\r\n>last</a></r>\r\n`;
    const path = join(dir, 'big.xml');
    await writeFile(path, text, 'utf8');
    const root = await parseXmlFile(path);
    const reread = await readFile(path, 'utf8');
    expect(rawElementText(reread, find(root, 'a'))).toBe('<a\r\n>last</a>');
    const f = root.children[12_345] as XmlElement;
    expect(rawElementText(reread, f)).toBe('<f i="12345">é😀\r\n</f>');
  });

  it('refuse text that no longer holds the element', () => {
    const text = '<r><a>t</a></r>';
    const a = find(parseXml(text), 'a');
    expect(() => rawElementText(`<x/>${text}`, a, 'moved.xml')).toThrow(
      /moved\.xml: the text at line 1 is not the <a> element/,
    );
  });
});

describe('detached copies', () => {
  it('redeclare the namespaces the element inherits, and none it declares itself', () => {
    const text =
      '<ds:c xmlns:ds="urn:ds" xmlns:x="urn:x" xmlns="urn:default"><ds:comp><x:B xmlns:h="urn:h"><x:r/><h:p/></x:B></ds:comp></ds:c>';
    const root = parseXml(text);
    const comp = root.children[0] as XmlElement;
    const benchmark = comp.children[0] as XmlElement;
    const span = spanOf(benchmark, [root, comp]);
    expect(span.inherited).toEqual({ ds: 'urn:ds', x: 'urn:x', '': 'urn:default' });
    const copy = detachedElementText(text, span);
    expect(copy).toBe(
      '<x:B xmlns:ds="urn:ds" xmlns:x="urn:x" xmlns="urn:default" xmlns:h="urn:h"><x:r/><h:p/></x:B>',
    );
    // Parsed on its own, the copy means the same: same element names in the same namespaces.
    const reparsed = parseXml(copy);
    expect([reparsed.ns, reparsed.name, reparsed.children.map((c) => `${c.ns} ${c.name}`)]).toEqual([
      'urn:x',
      'B',
      ['urn:x r', 'urn:h p'],
    ]);
  });

  it.skipIf(!HAVE_SSG)(
    'cut the Benchmark out of an SSG data stream (prefix declared on the collection)',
    async () => {
      const path = SSG_D11;
      const source = await loadScapSource(path);
      const text = await readFile(path, 'utf8');
      const xccdf = [...source.components.values()].find((c) => c.content.kind === 'xccdf');
      const copy = detachedElementText(text, xccdf?.span ?? { name: '', line: 0, nameEnd: 0, end: -1 });
      expect(copy.startsWith('<xccdf-1.2:Benchmark xmlns:')).toBe(true);
      expect(copy.endsWith('</xccdf-1.2:Benchmark>')).toBe(true);
      const reparsed = parseXml(copy);
      expect([reparsed.ns, reparsed.name]).toEqual(['http://checklists.nist.gov/xccdf/1.2', 'Benchmark']);
      expect(source.span && rawElementText(text, source.span).length).toBeGreaterThan(5_000_000);
    },
  );
});
