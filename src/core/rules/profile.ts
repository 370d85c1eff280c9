/**
 * Profiles: a named selection of rules plus variable values, optionally extending another profile.
 */
import { z } from 'zod';
import { VouchError } from '../errors.js';
import type { Rule, SourceLocation } from './rule.js';
import { type VariableDefinition, type VariableValue, validateVariableValue } from './variables.js';

export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/, 'must be a kebab-case id'),
    title: z.string().min(1),
    description: z.string().default(''),
    platforms: z.array(z.string()).default([]),
    extends: z.string().nullable().default(null),
    select: z.array(z.string()).default([]),
    deselect: z.array(z.string()).default([]),
    variables: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict();

export type Profile = z.output<typeof profileSchema> & { source?: SourceLocation };

export interface ResolvedProfile {
  profile: Profile;
  /** Selected rule ids in content order. */
  ruleIds: string[];
  /** Profile variable values (own values override the extended profile's). */
  variables: Map<string, VariableValue>;
}

/** `sshd-*` globs, exact ids, and `section:<name>` selectors. */
export function selectorMatches(selector: string, rule: Rule): boolean {
  if (selector.startsWith('section:')) return rule.section === selector.slice('section:'.length);
  if (!selector.includes('*')) return rule.id === selector;
  const pattern = selector
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(rule.id);
}

export function resolveProfile(
  id: string,
  profiles: ReadonlyMap<string, Profile>,
  rules: readonly Rule[],
  variables: ReadonlyMap<string, VariableDefinition>,
): ResolvedProfile {
  const chain: Profile[] = [];
  for (let current: string | null = id; current !== null; ) {
    const profile = profiles.get(current);
    if (!profile) {
      const known = [...profiles.keys()].sort().join(', ');
      const what =
        chain.length === 0
          ? `unknown profile "${current}"`
          : `profile "${chain.at(-1)?.id}" extends unknown profile "${current}"`;
      throw new VouchError('UNKNOWN_PROFILE', `${what} (known: ${known || 'none'})`);
    }
    if (chain.includes(profile)) {
      throw new VouchError(
        'PROFILE_CYCLE',
        `profile "${id}" extends itself through ${chain.map((p) => p.id).join(' -> ')}`,
      );
    }
    chain.push(profile);
    current = profile.extends;
  }

  const selected = new Set<string>();
  const values = new Map<string, VariableValue>();
  // Apply from the base profile outwards, so each extension can add to or remove from its parent.
  for (const profile of [...chain].reverse()) {
    const where = profile.source ? `${profile.source.file}` : `profile ${profile.id}`;
    for (const selector of profile.select) {
      const matched = rules.filter((rule) => selectorMatches(selector, rule));
      if (matched.length === 0) {
        throw new VouchError('UNMATCHED_SELECTOR', `${where}: select "${selector}" matches no rule`);
      }
      for (const rule of matched) selected.add(rule.id);
    }
    for (const selector of profile.deselect) {
      for (const rule of rules) if (selectorMatches(selector, rule)) selected.delete(rule.id);
    }
    for (const [name, value] of Object.entries(profile.variables)) {
      const definition = variables.get(name);
      if (!definition)
        throw new VouchError('UNKNOWN_VARIABLE', `${where}: variables.${name}: unknown variable`);
      values.set(name, validateVariableValue(definition, value, `${where}: variables.${name}`));
    }
  }
  const profile = chain[0] as Profile;
  return {
    profile,
    ruleIds: rules.filter((rule) => selected.has(rule.id)).map((rule) => rule.id),
    variables: values,
  };
}
