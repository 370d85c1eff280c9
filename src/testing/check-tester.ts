/**
 * CheckTester: table tests for check types, in the spirit of ESLint's RuleTester.
 *
 *   new CheckTester().run(fileCheck, { pass: [...], fail: [...], notapplicable: [...] });
 *
 * Each case describes a host as data (an in-memory file map plus runtime overrides) and goes
 * through the same path as a scan: the spec is validated by the type's zod schema, the facts the
 * type declares for that spec are answered by a fake host, and `evaluate` runs on them. The tester
 * also refuses tests too weak to protect the product: a fail case that does not pin its evidence,
 * a table without pass or fail cases, duplicate cases, specs the schema rejects, a check that reads
 * a fact it did not declare, and a check that mutates its spec or its facts.
 */
import { describe, expect, it } from 'vitest';
import { formatSpecIssues } from '../checks/common/schema.js';
import { createBuiltinRegistry } from '../checks/index.js';
import type { CheckRef, EvaluateContext, FactLookup } from '../core/checks/check-type.js';
import type { AnyCheckType, CheckTypeRegistry } from '../core/checks/registry.js';
import { type FactRequest, factKey } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { CheckOutcome, Evidence } from '../core/results.js';
import type { TargetKind } from '../core/target-kind.js';
import { type FakeFacts, type FakeFiles, FakeHost } from './fake-host.js';

export type { FakeFactResult, FakeFacts, FakeFile, FakeFiles } from './fake-host.js';

export interface CheckCase {
  name: string;
  /** The spec as a rule would write it (defaults are applied by the schema). */
  spec: unknown;
  files?: FakeFiles;
  facts?: FakeFacts;
  targetKind?: TargetKind;
  /** Expected evidence, in order; each item is matched partially. Required for fail cases. */
  evidence?: Array<Partial<Evidence>>;
  message?: RegExp;
}

/** A spec the schema must reject, with an error message that names `field`. */
export interface InvalidSpecCase {
  name: string;
  spec: unknown;
  field: string;
  message?: RegExp;
}

export const CASE_GROUPS = ['pass', 'fail', 'notapplicable', 'error', 'notchecked', 'informational'] as const;
export type CaseGroup = (typeof CASE_GROUPS)[number];

export interface CheckCases {
  pass: CheckCase[];
  fail: CheckCase[];
  notapplicable?: CheckCase[];
  error?: CheckCase[];
  notchecked?: CheckCase[];
  informational?: CheckCase[];
  invalidSpec?: InvalidSpecCase[];
}

export interface CheckTesterOptions {
  /** Default target kind of the cases (default `root`, an offline root directory). */
  targetKind?: TargetKind;
  /** Registry for nested checks (composites); defaults to the built-in one. */
  registry?: CheckTypeRegistry;
}

export interface HostDescription {
  files?: FakeFiles;
  facts?: FakeFacts;
  targetKind?: TargetKind;
}

/** A test table the tester refuses, or a check that broke the contract while being tested. */
export class CheckTesterError extends Error {
  override name = 'CheckTesterError';
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** JSON with sorted keys, so two cases that differ only in key order are still duplicates. */
export function stableStringify(value: unknown): string {
  if (value instanceof RegExp) return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

const MUTATION = /read.only|not extensible|Cannot delete|Cannot redefine|Cannot define|frozen/i;

export class CheckTester {
  readonly #targetKind: TargetKind;
  readonly #registry: CheckTypeRegistry;
  #preloaded: Promise<void> | undefined;

  constructor(options: CheckTesterOptions = {}) {
    this.#targetKind = options.targetKind ?? 'root';
    this.#registry = options.registry ?? createBuiltinRegistry();
  }

  /** Registers one vitest `describe` with an `it` per case; throws at collection time on a weak table. */
  run(checkType: AnyCheckType, cases: CheckCases): void {
    this.validateCases(checkType, cases);
    describe(checkType.id, () => {
      for (const group of CASE_GROUPS) {
        for (const testCase of cases[group] ?? []) {
          it(`${group}: ${testCase.name}`, async () => {
            await this.runCase(checkType, group, testCase);
          });
        }
      }
      for (const testCase of cases.invalidSpec ?? []) {
        it(`invalid spec: ${testCase.name}`, () => {
          this.#assertInvalid(checkType, testCase);
        });
      }
    });
  }

  /** Structural checks on a table, before any case runs. */
  validateCases(checkType: AnyCheckType, cases: CheckCases): void {
    const id = checkType.id;
    const known = new Set<string>([...CASE_GROUPS, 'invalidSpec']);
    for (const key of Object.keys(cases)) {
      if (!known.has(key))
        throw new CheckTesterError(`${id}: unknown case group "${key}" (known: ${[...known].join(', ')})`);
    }
    for (const group of ['pass', 'fail'] as const) {
      if (!Array.isArray(cases[group]) || cases[group].length === 0) {
        throw new CheckTesterError(`${id}: a check type needs at least one "${group}" case`);
      }
    }
    const names = new Set<string>();
    const seen = new Map<string, string>();
    for (const group of CASE_GROUPS) {
      for (const testCase of cases[group] ?? []) {
        const label = `${id} ${group} case "${testCase.name}"`;
        if (typeof testCase.name !== 'string' || testCase.name.trim() === '') {
          throw new CheckTesterError(`${id}: every ${group} case needs a name`);
        }
        if (names.has(testCase.name)) throw new CheckTesterError(`${label}: the name is used twice`);
        names.add(testCase.name);
        if (group === 'fail' && (!Array.isArray(testCase.evidence) || testCase.evidence.length === 0)) {
          throw new CheckTesterError(
            `${label}: a fail case must list the evidence it expects (what the failure points the reader to)`,
          );
        }
        const key = stableStringify({
          spec: testCase.spec,
          files: testCase.files ?? {},
          facts: testCase.facts ?? {},
          targetKind: testCase.targetKind ?? this.#targetKind,
        });
        const previous = seen.get(key);
        if (previous)
          throw new CheckTesterError(
            `${label}: duplicates case "${previous}" (same spec, files, facts and target)`,
          );
        seen.set(key, testCase.name);
        const parsed = checkType.spec.safeParse(testCase.spec);
        if (!parsed.success) {
          throw new CheckTesterError(
            `${label}: the spec is invalid for the schema (${formatSpecIssues(parsed.error)}); list it under invalidSpec if that is the point`,
          );
        }
      }
    }
    for (const testCase of cases.invalidSpec ?? []) this.#assertInvalid(checkType, testCase);
  }

  #assertInvalid(checkType: AnyCheckType, testCase: InvalidSpecCase): void {
    const label = `${checkType.id} invalidSpec case "${testCase.name}"`;
    const parsed = checkType.spec.safeParse(testCase.spec);
    if (parsed.success) throw new CheckTesterError(`${label}: the schema accepted the spec`);
    const message = formatSpecIssues(parsed.error);
    if (!message.includes(testCase.field)) {
      throw new CheckTesterError(
        `${label}: the error does not name the field "${testCase.field}": ${message}`,
      );
    }
    if (testCase.message && !testCase.message.test(message)) {
      throw new CheckTesterError(`${label}: the error does not match ${testCase.message}: ${message}`);
    }
  }

  async #preload(): Promise<void> {
    this.#preloaded ??= Promise.all(this.#registry.ids().map((id) => this.#registry.load(id))).then(
      () => undefined,
    );
    await this.#preloaded;
  }

  /** Runs one case through the real path and asserts its status, message and evidence. */
  async runCase(checkType: AnyCheckType, group: CaseGroup, testCase: CheckCase): Promise<CheckOutcome> {
    const result = await this.evaluate(checkType, testCase.spec, testCase);
    const label = `${checkType.id} ${group} case "${testCase.name}"`;
    expect(
      result.status,
      `${label}: got ${result.status}: ${result.message} ${JSON.stringify(result.evidence)}`,
    ).toBe(group);
    expect(
      typeof result.message === 'string' && result.message.trim() !== '',
      `${label}: empty message`,
    ).toBe(true);
    expect(result.message.includes('\n'), `${label}: the message must be one line: ${result.message}`).toBe(
      false,
    );
    expect(
      /[^.]\.$/.test(result.message.trim()),
      `${label}: the message must be one sentence ending in a period: ${result.message}`,
    ).toBe(true);
    for (const item of result.evidence) {
      expect(item.source, `${label}: evidence without a source`).toMatch(/\S/);
      expect(item.resource, `${label}: evidence without a resource`).toMatch(/\S/);
      if (item.line !== undefined)
        expect(Number.isInteger(item.line) && item.line > 0, `${label}: bad line ${item.line}`).toBe(true);
    }
    if (result.status === 'fail') {
      expect(
        result.evidence.length,
        `${label}: a failure must carry evidence naming what to fix`,
      ).toBeGreaterThan(0);
    }
    if (testCase.message) expect(result.message, `${label}: message`).toMatch(testCase.message);
    if (testCase.evidence) {
      expect(result.evidence, `${label}: evidence count`).toHaveLength(testCase.evidence.length);
      testCase.evidence.forEach((expected, index) => {
        expect(result.evidence[index], `${label}: evidence[${index}]`).toMatchObject(expected);
      });
    }
    return result;
  }

  /** Evaluates a spec on a described host through the real path, without assertions. */
  async evaluate(
    checkType: AnyCheckType,
    rawSpec: unknown,
    host: HostDescription = {},
  ): Promise<CheckOutcome> {
    await this.#preload();
    const targetKind = host.targetKind ?? this.#targetKind;
    const fake = new FakeHost(host.files, host.facts, targetKind);
    const typeOf = (id: string): AnyCheckType | undefined =>
      id === checkType.id ? checkType : this.#registry.has(id) ? this.#registry.loaded(id) : undefined;
    const unsupported = (type: AnyCheckType): CheckOutcome | null =>
      type.targets && !type.targets.includes(targetKind)
        ? {
            status: 'notchecked',
            message: `Check type ${type.id} cannot run on a ${targetKind} target.`,
            evidence: [],
          }
        : null;

    const skip = unsupported(checkType);
    if (skip) return skip;
    const parsed = checkType.spec.safeParse(rawSpec);
    if (!parsed.success) {
      throw new CheckTesterError(
        `spec is invalid for check type "${checkType.id}": ${formatSpecIssues(parsed.error)}`,
      );
    }
    const spec = deepFreeze(parsed.data);
    const snapshot = stableStringify(spec);

    const nestedFacts = (ref: CheckRef): FactRequest[] => {
      const type = typeOf(ref.type);
      if (!type) return [];
      const child = type.spec.safeParse(ref.spec);
      return child.success ? type.facts(deepFreeze(child.data), nestedFacts) : [];
    };
    const requests = checkType.facts(spec, nestedFacts);
    const answers = new Map<string, FactResult>();
    for (const request of requests) {
      const key = factKey(request);
      if (!answers.has(key)) answers.set(key, deepFreeze(fake.answer(request)));
    }

    const violations: string[] = [];
    const facts: FactLookup = {
      get(request) {
        const key = factKey(request);
        const answer = answers.get(key);
        if (!answer) {
          const message = `check type "${checkType.id}" read the fact ${key} that its facts() did not declare (declared: ${[...answers.keys()].join(' | ') || 'none'})`;
          violations.push(message);
          throw new CheckTesterError(message);
        }
        return answer as never;
      },
    };
    const ctx: EvaluateContext = {
      facts,
      targetKind,
      evaluateNested(ref) {
        const type = typeOf(ref.type);
        if (!type) return { status: 'error', message: `Unknown check type "${ref.type}".`, evidence: [] };
        const skipped = unsupported(type);
        if (skipped) return skipped;
        const child = type.spec.safeParse(ref.spec);
        if (!child.success) {
          return {
            status: 'error',
            message: `Invalid ${ref.type} spec: ${formatSpecIssues(child.error)}.`,
            evidence: [],
          };
        }
        return type.evaluate(deepFreeze(child.data), ctx);
      },
    };

    const runOnce = (): CheckOutcome => {
      try {
        return checkType.evaluate(spec, ctx);
      } catch (error) {
        if (error instanceof CheckTesterError) throw error;
        if (error instanceof TypeError && MUTATION.test(error.message)) {
          throw new CheckTesterError(
            `check type "${checkType.id}" mutated its spec or a fact value: ${error.message}`,
          );
        }
        throw error;
      }
    };
    const first = runOnce();
    if (violations.length > 0) throw new CheckTesterError(violations[0]);
    if (stableStringify(spec) !== snapshot)
      throw new CheckTesterError(`check type "${checkType.id}" mutated its spec`);
    const second = runOnce();
    if (stableStringify(first) !== stableStringify(second)) {
      throw new CheckTesterError(
        `check type "${checkType.id}" is not pure: two evaluations of the same facts differ`,
      );
    }
    return first;
  }
}
