/**
 * Serialises an XCCDF 1.2 Tailoring document in the shape oscap 1.3.7 accepts.
 *
 * One element per line, always: oscap 1.3.7's profile parser skips the element that directly
 * follows a `<select/>` when no whitespace node separates them (fixed upstream in 1.3.10,
 * commit 953ecd912), so a compact file such as autotailor writes silently loses every second
 * select or a set-value. XmlWriter indents every element onto its own line.
 *
 * Children follow the XCCDF 1.2 schema order: Tailoring = benchmark, version, Profile+;
 * Profile = title, description, platform*, then select / set-value / refine-value / refine-rule.
 */
import { type Attributes, XmlWriter } from '../report/xml-writer.js';
import type { TailoringDocument } from '../tailor/build-tailoring.js';
import { NS } from '../xml/namespaces.js';

export function writeTailoring(doc: TailoringDocument): string {
  const w = new XmlWriter().declaration();
  w.start('Tailoring', [
    ['xmlns', NS.xccdf12],
    ['id', doc.id],
  ]);
  w.leaf('benchmark', [['href', doc.benchmarkHref]]);
  // oscap rejects a tailoring whose <version> has no time attribute.
  w.leaf('version', [['time', doc.time]], doc.version);
  for (const profile of doc.profiles) {
    const attributes: Attributes = [
      ['id', profile.id],
      ['extends', profile.extends],
      ['abstract', profile.abstract ? 'true' : undefined],
    ];
    w.start('Profile', attributes);
    // A Profile without <title> fails oscap's schema check.
    w.leaf('title', [], profile.title ?? profile.id);
    if (profile.description) w.leaf('description', [], profile.description);
    for (const platform of profile.platforms) w.leaf('platform', [['idref', platform]]);
    for (const s of profile.selects) {
      w.leaf('select', [
        ['idref', s.idref],
        ['selected', s.selected ? 'true' : 'false'],
      ]);
    }
    for (const v of profile.setValues) w.leaf('set-value', [['idref', v.idref]], v.value);
    for (const r of profile.refineValues) {
      w.leaf('refine-value', [
        ['idref', r.idref],
        ['selector', r.selector],
        ['operator', r.operator],
      ]);
    }
    for (const r of profile.refineRules) {
      w.leaf('refine-rule', [
        ['idref', r.idref],
        ['weight', r.weight],
        ['selector', r.selector],
        ['severity', r.severity],
        ['role', r.role],
      ]);
    }
    w.end('Profile');
  }
  w.end('Tailoring');
  return w.toString();
}
