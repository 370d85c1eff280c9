/**
 * Preparing a rule for a scan: substitute variables, load and validate its check (and nested
 * checks), and work out which facts it needs. A rule that cannot be prepared becomes an `error`
 * (or `notchecked`) result with its reason; it never stops the scan.
 */
import type { z } from 'zod';
import type { CheckRef } from '../checks/check-type.js';
import type { AnyCheckType, CheckTypeRegistry } from '../checks/registry.js';
import { errorMessage, VouchError } from '../errors.js';
import { type FactRequest, factKey } from '../facts/fact-request.js';
import type { ResultStatus } from '../results.js';
import type { Rule } from '../rules/rule.js';
import { substituteVariables, type VariableValue } from '../rules/variables.js';
import type { TargetKind } from '../target-kind.js';

export interface PreparedRule {
  rule: Rule;
  /** The rule's check with variables substituted (undefined when preparation failed). */
  check?: CheckRef;
  /** The applicability check with variables substituted. */
  when?: CheckRef;
  /** Deduplicated fact requests, keyed by fact key. */
  facts: Map<string, FactRequest>;
  /** Set when the rule cannot be evaluated on this scan at all. */
  problem?: { status: ResultStatus; message: string };
  /** Top-level check type (id and version), for results and cache keys. */
  checkType: { type: string; version: number };
}

/** Finds every `{type, spec}` object in a check tree, so nested check types can be loaded up front. */
function collectCheckTypes(node: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) collectCheckTypes(item, out);
  } else if (node !== null && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && 'spec' in record) out.add(record.type);
    for (const value of Object.values(record)) collectCheckTypes(value, out);
  }
  return out;
}

function formatZodIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(spec)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Parses check specs against their types' schemas, memoised per check object so a spec is
 * validated once per scan however often facts() and evaluate() see it.
 */
export class SpecParser {
  readonly #parsed = new WeakMap<object, unknown>();

  constructor(readonly registry: CheckTypeRegistry) {}

  typeOf(check: CheckRef): AnyCheckType {
    return this.registry.loaded(check.type);
  }

  parse(check: CheckRef, where: string): unknown {
    const cached = this.#parsed.get(check);
    if (cached !== undefined) return cached;
    const type = this.typeOf(check);
    const result = type.spec.safeParse(check.spec ?? {});
    if (!result.success) {
      throw new VouchError('INVALID_CHECK_SPEC', `${where}: ${check.type}: ${formatZodIssues(result.error)}`);
    }
    const frozen = deepFreeze(result.data);
    this.#parsed.set(check, frozen);
    return frozen;
  }

  /** Facts a check needs, recursing into nested checks through the type's own `facts`. */
  factsOf(check: CheckRef, where: string): FactRequest[] {
    const spec = this.parse(check, where);
    return this.typeOf(check).facts(spec, (nested) => this.factsOf(nested, where));
  }
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

export interface PrepareOptions {
  registry: CheckTypeRegistry;
  parser: SpecParser;
  variables: ReadonlyMap<string, VariableValue>;
  targetKind: TargetKind;
}

export async function prepareRule(rule: Rule, options: PrepareOptions): Promise<PreparedRule> {
  const where = rule.source?.file ?? `rule ${rule.id}`;
  const prepared: PreparedRule = {
    rule,
    facts: new Map(),
    checkType: { type: rule.check.type, version: 0 },
  };
  try {
    const used = new Set<string>();
    const check = substituteVariables(rule.check, options.variables, used).value as CheckRef;
    const when = rule.applicability?.when
      ? (substituteVariables(rule.applicability.when, options.variables, used).value as CheckRef)
      : undefined;
    const undeclared = [...used].filter((name) => !rule.variables.includes(name));
    if (undeclared.length > 0) {
      throw new VouchError(
        'UNDECLARED_VARIABLE',
        `${where}: variables: uses ${undeclared.join(', ')} without declaring it`,
      );
    }

    for (const id of collectCheckTypes([check, when], new Set())) await options.registry.load(id);
    const type = options.registry.loaded(check.type);
    prepared.checkType.version = type.version;

    const requests: FactRequest[] = [];
    if (rule.applicability?.platforms?.length) requests.push({ kind: 'os-release' });
    if (when) requests.push(...options.parser.factsOf(when, `${where}: applicability.when`));
    requests.push(...options.parser.factsOf(check, `${where}: check`));
    for (const request of requests) prepared.facts.set(factKey(request), request);
    prepared.check = check;
    prepared.when = when;

    if (type.targets && !type.targets.includes(options.targetKind)) {
      prepared.problem = {
        status: 'notchecked',
        message: `check type "${type.id}" cannot run on a ${options.targetKind} target (supports ${type.targets.join(', ')})`,
      };
      prepared.facts.clear();
    }
  } catch (error) {
    prepared.problem = { status: 'error', message: errorMessage(error) };
    prepared.facts.clear();
  }
  return prepared;
}
