/** Shared pieces of the rule store tests: the real SSG content and an in-process CLI runner. */
import { existsSync } from 'node:fs';

export const SSG = '/usr/share/xml/scap/ssg/content';
export const DEBIAN11 = `${SSG}/ssg-debian11-ds.xml`;
export const UBUNTU2204 = `${SSG}/ssg-ubuntu2204-ds.xml`;
export const haveSsg = existsSync(DEBIAN11) && existsSync(UBUNTU2204);
export const RULE = 'xccdf_org.ssgproject.content_rule_';
export const VALUE = 'xccdf_org.ssgproject.content_value_';

/** Counts of elements straight from the XML text: an oracle independent of the parser under test. */
export function countElements(xml: string, name: string): number {
  return xml.match(new RegExp(`<xccdf-1\\.2:${name}\\b`, 'g'))?.length ?? 0;
}

export { vouch } from '../helpers/run-cli.js';
