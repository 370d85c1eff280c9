/**
 * `--var name=value` for SCAP content: overrides an XCCDF Value after profile resolution (as a
 * tailoring set-value would), validated against the Value's type and constraints.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfValue } from '../model/xccdf.js';
import type { ResolvedProfile } from '../xccdf/resolve-profile.js';

export function shortValueId(id: string): string {
  const at = id.indexOf('_value_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_value_'.length) : id;
}

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
  if (value.type === 'number' && !/^-?\d+(\.\d+)?$/.test(raw.trim())) {
    throw new VouchError('BAD_VARIABLE', `--var ${name}=${raw}: ${value.id} is a number`);
  }
  if (value.type === 'boolean' && !['true', 'false', '0', '1'].includes(raw)) {
    throw new VouchError('BAD_VARIABLE', `--var ${name}=${raw}: ${value.id} is a boolean (true/false)`);
  }
  const bound = (list: { value: string }[]) => list[0]?.value;
  const lower = bound(value.lowerBounds);
  const upper = bound(value.upperBounds);
  if (value.type === 'number' && lower !== undefined && Number(raw) < Number(lower)) {
    throw new VouchError('BAD_VARIABLE', `--var ${name}=${raw}: below the lower bound ${lower}`);
  }
  if (value.type === 'number' && upper !== undefined && Number(raw) > Number(upper)) {
    throw new VouchError('BAD_VARIABLE', `--var ${name}=${raw}: above the upper bound ${upper}`);
  }
  const choices = value.choices[0]?.value;
  if (choices?.mustMatch && !choices.choices.includes(raw)) {
    throw new VouchError(
      'BAD_VARIABLE',
      `--var ${name}=${raw}: must be one of ${choices.choices.join(', ')}`,
    );
  }
}
