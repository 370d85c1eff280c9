/** Escaping, name checks and C `%f` formatting of the report XML writer. */
import { describe, expect, it } from 'vitest';
import { escapeAttribute, escapeText, formatFixed6, XmlWriter } from '../../../src/scap/report/xml-writer.js';
import { parseXml } from '../../../src/scap/xml/xml-tree.js';

describe('escaping', () => {
  it.each([
    ['a < b && c > d', 'a &lt; b &amp;&amp; c &gt; d'],
    [']]>', ']]&gt;'],
    ['bell \u0007 and nul \u0000', 'bell \uFFFD and nul \uFFFD'],
    ['lone surrogate \uD800 x', 'lone surrogate \uFFFD x'],
    ['pair 😀 kept', 'pair 😀 kept'],
    ['cr\r\nlf', 'cr&#13;\nlf'],
  ])('text %j', (input, expected) => {
    expect(escapeText(input)).toBe(expected);
  });

  it('keeps quotes, tabs and line breaks of attribute values through a parser', () => {
    const value = 'say "hi"\tthen\nleave & <go>';
    const xml = `<a v="${escapeAttribute(value)}"/>`;
    expect(parseXml(xml).attrs.v).toBe(value);
  });

  it('refuses element and attribute names that are not XML names', () => {
    expect(() => new XmlWriter().leaf('a b')).toThrow(/not an XML name/);
    expect(() => new XmlWriter().leaf('a', [['x"=1', 'v']])).toThrow(/not an XML name/);
    expect(() => new XmlWriter().start('a').toString()).toThrow(/unclosed elements: a/);
    expect(() => new XmlWriter().start('a').end('b')).toThrow(/closing <b> while <a> is open/);
  });

  it('writes nested, indented elements and leaves out undefined attributes', () => {
    const w = new XmlWriter()
      .start('r', [
        ['a', '1'],
        ['b', undefined],
      ])
      .leaf('x', [], 'v')
      .leaf('y')
      .end('r');
    expect(w.toString()).toBe('<r a="1">\n  <x>v</x>\n  <y/>\n</r>\n');
  });
});

describe('formatFixed6 (C printf %f)', () => {
  it.each([
    [100, '100.000000'],
    [Math.fround(68.48957824707031), '68.489578'],
    [Math.fround(16.666666), '16.666666'],
    [2.5, '2.500000'],
    [0, '0.000000'],
    // Exact binary ties at the 7th decimal: printf rounds half to even, toFixed would round up.
    [0.0078125, '0.007812'],
    [0.0234375, '0.023438'],
    [1.0000005, '1.000001'],
  ])('%d -> %s', (value, expected) => {
    expect(formatFixed6(value)).toBe(expected);
  });
});
