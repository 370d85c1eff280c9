/**
 * Which XCCDF `<fix system>` each `vouch fix generate --format` emits, and how a rule's fix of that
 * kind is chosen: as oscap 1.3.7 does, the first fix of the system in document order (SSG content
 * has at most one per system and no `@platform` on fixes).
 */
import type { XccdfFix, XccdfRule } from '../model/xccdf.js';

export const FIX_FORMATS = ['bash', 'ansible'] as const;
export type FixFormat = (typeof FIX_FORMATS)[number];

export const FIX_SYSTEMS: Record<FixFormat, string> = {
  bash: 'urn:xccdf:fix:script:sh',
  ansible: 'urn:xccdf:fix:script:ansible',
};

export function isFixFormat(text: string): text is FixFormat {
  return (FIX_FORMATS as readonly string[]).includes(text);
}

export function fixOf(rule: XccdfRule, format: FixFormat): XccdfFix | undefined {
  return rule.fixes.find((f) => f.system === FIX_SYSTEMS[format]);
}
