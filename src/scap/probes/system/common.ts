/**
 * Small helpers shared by the system probes: building items and the collections oscap reports for
 * the common outcomes (nothing found, not applicable offline, a fact that could not be read).
 */
import type { FactResult } from '../../../core/facts/fact-result.js';
import type { ItemStatus } from '../../oval-eval/existence.js';
import type { CollectedItem } from '../../oval-eval/state-eval.js';
import type {
  ObjectCollection,
  ObjectEntitySpec,
  ProbeItem,
  ResolvedObject,
} from '../../oval-session/probe.js';

/** Options that depend on the content's OVAL schema version (oscap varies some item formats by it). */
export interface SystemProbeOptions {
  /** `oval:schema_version` of the definitions document; SSG ships 5.11. */
  schemaVersion?: string;
}

export const DEFAULT_SCHEMA_VERSION = '5.11';

/** Compares dotted schema versions (`5.11.1` >= `5.11`). */
export function schemaAtLeast(version: string, minimum: string): boolean {
  const a = version.split('.').map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/** One item entity: a value (string '' is a present, empty entity) with optional datatype/status. */
export type FieldSpec =
  | string
  | number
  | { value: string | number | undefined; datatype?: string; status?: ItemStatus };

/** Builds a ProbeItem from fields in schema order; an array gives a repeated entity. */
export function makeItem(
  family: string,
  type: string,
  fields: [string, FieldSpec | FieldSpec[]][],
  status: ItemStatus = 'exists',
): ProbeItem {
  const collected: CollectedItem = {};
  for (const [name, spec] of fields) {
    const list = Array.isArray(spec) ? spec : [spec];
    collected[name] = list.map((one) => {
      if (typeof one !== 'object') return { value: String(one) };
      const value = one.value === undefined ? undefined : String(one.value);
      return {
        value,
        ...(one.datatype ? { datatype: one.datatype } : {}),
        ...(one.status ? { status: one.status } : {}),
      };
    });
  }
  return { type, family, status, fields: collected };
}

export function int(value: number | string): FieldSpec {
  return { value, datatype: 'int' };
}

export function complete(items: ProbeItem[], messages: string[] = []): ObjectCollection {
  return { flag: 'complete', items, messages };
}

/**
 * What oscap-chroot reports for a probe without offline support: the flag only. oscap logs
 * "Requested offline mode is not supported by X probe." as a warning but writes no message into
 * the results, so neither do we.
 */
export function notApplicable(): ObjectCollection {
  return { flag: 'not applicable', items: [], messages: [] };
}

/** A fact that could not be collected: `error` with the collector's reason. */
export function factFailure(result: Exclude<FactResult, { status: 'ok' }>, what: string): ObjectCollection {
  const reason = result.status === 'error' ? result.message : result.reason;
  return {
    flag: result.status === 'error' ? 'error' : 'not collected',
    items: [],
    messages: [`${what}: ${reason}`],
  };
}

/** An object entity the probe cannot work without; its absence is a content bug (session -> error). */
export function requiredEntity(object: ResolvedObject, name: string): ObjectEntitySpec {
  const entity = object.entities.get(name);
  if (!entity) throw new Error(`${object.type} ${object.id} has no ${name} entity`);
  return entity;
}

/** True for a plain `equals` entity with one literal value: oscap's probes look such values up directly. */
export function isSingleEquals(entity: ObjectEntitySpec): boolean {
  return entity.operation === 'equals' && entity.values.length === 1 && !entity.fromVariable;
}
