/**
 * What one native SCAP evaluation produced, in the shape the XCCDF and ARF writers need.
 *
 * The evaluator (scap/evaluate) fills it; writers (scap/report) turn it into XCCDF 1.2 TestResult
 * and ARF 1.1 documents as oscap 1.3.7 writes them; the JSON adapter turns it into Vouch's
 * `vouch.scan-result/v1`. Nothing here refers to I/O.
 */
import type { OvalResult } from '../oval-eval/result.js';
import type { CollectionFlag } from '../oval-eval/test-eval.js';
import type { ProbeItem } from '../oval-session/probe.js';

/** XCCDF 1.2 rule result values. */
export type XccdfResult =
  | 'pass'
  | 'fail'
  | 'error'
  | 'unknown'
  | 'notapplicable'
  | 'notchecked'
  | 'notselected'
  | 'informational'
  | 'fixed';

/** One variable value as OVAL results list it (`tested_variable`, `variable_value`). */
export interface OvalVariableValue {
  variableId: string;
  value: string;
}

export interface OvalObjectRun {
  id: string;
  flag: CollectionFlag;
  /** Ids into OvalRun.items, in collection order (after filters and sets). */
  itemIds: number[];
  messages: string[];
  /** Values of the variables the object used. */
  variableValues: OvalVariableValue[];
}

export interface OvalTestRun {
  id: string;
  result: OvalResult;
  check: string;
  checkExistence: string;
  stateOperator: string;
  /** Items compared, with each one's result (state_operator over its states). */
  testedItems: { itemId: number; result: OvalResult }[];
  testedVariables: OvalVariableValue[];
}

/** One OVAL document's evaluation: the `oval_results` of an ARF report. */
export interface OvalRun {
  /** The component's href as the XCCDF check names it, e.g. `ssg-ubuntu2204-oval.xml`. */
  href: string;
  /** Definition results, for every definition that was evaluated. */
  definitions: Map<string, OvalResult>;
  tests: Map<string, OvalTestRun>;
  objects: Map<string, OvalObjectRun>;
  /** Items by id (ids start at 1, unique within this run). */
  items: Map<number, ProbeItem>;
}

export interface XccdfCheckRun {
  system: string;
  /** OVAL component href and definition id (`check-content-ref`). */
  href: string;
  name: string;
  /** Values bound with check-export: OVAL variable id -> value. */
  exports: { valueId: string; exportName: string; value: string }[];
}

export interface XccdfRuleRun {
  ruleId: string;
  result: XccdfResult;
  severity: string;
  role: string;
  weight: number;
  /** ISO time the rule was evaluated. */
  time: string;
  /** The check used; absent for notselected/notapplicable/notchecked without a check. */
  check: XccdfCheckRun | undefined;
  /** Definition result behind `result` (absent when no OVAL check ran). */
  ovalResult: OvalResult | undefined;
  messages: { severity: 'info' | 'warning' | 'error'; text: string }[];
  idents: { system: string; value: string }[];
}

export interface XccdfScore {
  /** `urn:xccdf:scoring:default`, `...:flat`, `...:flat-unweighted`, `...:absolute`. */
  system: string;
  score: number;
  maximum: number;
}

/** A whole XCCDF evaluation: one TestResult. */
export interface XccdfRun {
  benchmarkId: string;
  /** Profile id as resolved (full XCCDF id), undefined for the default profile. */
  profileId: string | undefined;
  profileTitle: string | undefined;
  testResultId: string;
  startTime: string;
  endTime: string;
  /** Target identification as oscap writes it. */
  target: { name: string; addresses: string[]; facts: { name: string; type: string; value: string }[] };
  /** Platforms (CPE ids or `#name`) found applicable, as listed in TestResult. */
  applicablePlatforms: string[];
  /** Every Value of the benchmark with the value used (oscap writes all of them). */
  setValues: { valueId: string; value: string }[];
  /** One entry per Rule of the benchmark, selected or not, in document order. */
  rules: XccdfRuleRun[];
  scores: XccdfScore[];
  /** OVAL runs by component href. */
  oval: Map<string, OvalRun>;
  /** Tailoring file path when one was used. */
  tailoring: { path: string; id: string } | undefined;
}
