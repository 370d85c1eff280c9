/** What changed between two imports of the same source: rules, variable defaults, profiles. */
import { displayValue } from '../scap/variables/typed-variable.js';
import type { ImportDiff, StoredProfile, StoredRule, StoredVariable } from './types.js';

/** Rule fields compared on re-import, in the order a diff lists them. */
const RULE_FIELDS = [
  'title',
  'description',
  'rationale',
  'severity',
  'groups',
  'idents',
  'references',
  'checks',
  'fixes',
  'platforms',
  'variables',
  'profiles',
  'template',
] as const satisfies readonly (keyof StoredRule)[];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface Snapshot {
  version: string | undefined;
  sha256: string;
  rules: StoredRule[];
  variables: StoredVariable[];
  profiles: StoredProfile[];
}

export function diffImports(sourceId: string, before: Snapshot, after: Snapshot): ImportDiff {
  const oldRules = new Map(before.rules.map((r) => [r.id, r]));
  const newRules = new Map(after.rules.map((r) => [r.id, r]));
  const oldVars = new Map(before.variables.map((v) => [v.id, v]));
  const newVars = new Map(after.variables.map((v) => [v.id, v]));
  const oldProfiles = new Set(before.profiles.map((p) => p.id));
  const newProfiles = new Set(after.profiles.map((p) => p.id));
  const rulesChanged: ImportDiff['rulesChanged'] = [];
  for (const [id, rule] of newRules) {
    const old = oldRules.get(id);
    if (!old) continue;
    const fields = RULE_FIELDS.filter((f) => !same(old[f], rule[f]));
    if (fields.length > 0) rulesChanged.push({ id, fields });
  }
  const variableDefaultsChanged: ImportDiff['variableDefaultsChanged'] = [];
  for (const [id, variable] of newVars) {
    const old = oldVars.get(id);
    if (!old || old.default === variable.default) continue;
    // Either side marked sensitive masks both: a secret's old value is as secret as its new one.
    const masked = { sensitive: old.sensitive || variable.sensitive };
    variableDefaultsChanged.push({
      id,
      from: displayValue(masked, old.default),
      to: displayValue(masked, variable.default),
    });
  }
  return {
    sourceId,
    previousVersion: before.version,
    version: after.version,
    previousSha256: before.sha256,
    sha256: after.sha256,
    rulesAdded: [...newRules.keys()].filter((id) => !oldRules.has(id)),
    rulesRemoved: [...oldRules.keys()].filter((id) => !newRules.has(id)),
    rulesChanged,
    variablesAdded: [...newVars.keys()].filter((id) => !oldVars.has(id)),
    variablesRemoved: [...oldVars.keys()].filter((id) => !newVars.has(id)),
    variableDefaultsChanged,
    profilesAdded: [...newProfiles].filter((id) => !oldProfiles.has(id)),
    profilesRemoved: [...oldProfiles].filter((id) => !newProfiles.has(id)),
  };
}

export function diffIsEmpty(diff: ImportDiff): boolean {
  return (
    diff.rulesAdded.length +
      diff.rulesRemoved.length +
      diff.rulesChanged.length +
      diff.variablesAdded.length +
      diff.variablesRemoved.length +
      diff.variableDefaultsChanged.length +
      diff.profilesAdded.length +
      diff.profilesRemoved.length ===
    0
  );
}
