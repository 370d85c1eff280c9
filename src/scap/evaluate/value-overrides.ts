/**
 * `--var name=value` for SCAP content: overrides an XCCDF Value after profile resolution (as a
 * tailoring set-value would), validated against the Value's type and constraints.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfValue } from '../model/xccdf.js';
import { scapVariableOf, shortVariableName, validateScapVariable } from '../variables/typed-variable.js';
import type { ResolvedProfile } from '../xccdf/resolve-profile.js';

export const shortValueId = shortVariableName;

export function findValue(benchmark: XccdfBenchmark, name: string): XccdfValue {
  const exact = benchmark.values.get(name);
  if (exact) return exact;
  const matches = [...benchmark.values.values()].filter((v) => shortValueId(v.id) === name);
  if (matches.length === 1 && matches[0]) return matches[0];
  throw new VouchError(
    'UNKNOWN_VARIABLE',
    matches.length > 1
      ? `--var ${name}: ambiguous, matches ${matches.map((v) => v.id).join(', ')}`
      : `--var ${name}: no XCCDF Value with that id in ${benchmark.id}`,
  );
}

export function applyValueOverrides(
  benchmark: XccdfBenchmark,
  profile: ResolvedProfile,
  overrides: ReadonlyMap<string, string>,
): void {
  for (const [name, raw] of overrides) {
    const value = findValue(benchmark, name);
    validate(value, raw, name);
    const current = profile.values.get(value.id);
    profile.values.set(value.id, {
      id: value.id,
      value: raw,
      type: value.type,
      operator: current?.operator ?? value.operator,
      selector: undefined,
      source: 'set-value',
    });
  }
}

function validate(value: XccdfValue, raw: string, name: string): void {
  // Constraints (type, bounds, match, choices) are checked by the one shared validator.
  validateScapVariable({ ...scapVariableOf(value), name }, raw, '--var');
}
