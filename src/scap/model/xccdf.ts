/**
 * Typed model of an XCCDF 1.2 Benchmark, as far as evaluation and reporting need it.
 * Text fields are plain text (markup stripped); fix scripts keep their `<sub>` placeholders as parts.
 */
import type { CpePlatformSpecification } from './cpe.js';
import type { UnknownConstruct } from './unknown.js';

export type XccdfRole = 'full' | 'unscored' | 'unchecked';
export type XccdfSeverity = 'unknown' | 'info' | 'low' | 'medium' | 'high';
export type ValueType = 'string' | 'number' | 'boolean';
export type ValueOperator =
  | 'equals'
  | 'not equal'
  | 'greater than'
  | 'less than'
  | 'greater than or equal'
  | 'less than or equal'
  | 'pattern match';

export interface XccdfBenchmark {
  id: string;
  version: string | undefined;
  resolved: boolean;
  style: string | undefined;
  title: string | undefined;
  description: string | undefined;
  status: string | undefined;
  /** Benchmark-level `<platform idref>` (CPE names or `#platform` ids): gate the whole benchmark. */
  platforms: string[];
  /** Embedded `cpe-lang:platform-specification` (the `#machine` style platforms). */
  platformSpecification: CpePlatformSpecification;
  /** Top-level Groups and Rules in document order. */
  items: XccdfItem[];
  /** Every Rule by id (any depth), insertion order = document order. */
  rules: Map<string, XccdfRule>;
  /** Every Group by id (any depth), document order. */
  groups: Map<string, XccdfGroup>;
  /** Every Value by id (any depth), document order. */
  values: Map<string, XccdfValue>;
  profiles: XccdfProfile[];
  unknown: UnknownConstruct[];
}

interface ItemBase {
  id: string;
  title: string | undefined;
  description: string | undefined;
  /** The item's own `@selected` (XCCDF default true). */
  selected: boolean;
  weight: number;
  hidden: boolean;
  abstract: boolean;
  /** `@extends` of the item (XCCDF item inheritance; SSG does not use it, so it is not resolved). */
  extends: string | undefined;
  clusterId: string | undefined;
  platforms: string[];
  /** Ids of the enclosing Groups, outermost first. */
  ancestors: string[];
}

export interface XccdfGroup extends ItemBase {
  kind: 'group';
  children: XccdfItem[];
}

export interface XccdfIdent {
  system: string;
  value: string;
}

export interface XccdfReference {
  href: string | undefined;
  text: string;
}

export interface XccdfCheckExport {
  valueId: string;
  exportName: string;
}

export interface XccdfCheckContentRef {
  href: string;
  /** Name inside the referenced content (the OVAL definition id); absent = the whole document. */
  name: string | undefined;
}

export interface XccdfCheck {
  kind: 'check';
  system: string;
  selector: string | undefined;
  negate: boolean;
  multiCheck: boolean;
  exports: XccdfCheckExport[];
  imports: { importName: string; importXpath: string | undefined }[];
  contentRefs: XccdfCheckContentRef[];
  /** True when the check carries inline `<check-content>` (not evaluated by SSG workflows). */
  hasInlineContent: boolean;
}

export interface XccdfComplexCheck {
  kind: 'complex-check';
  operator: 'AND' | 'OR';
  negate: boolean;
  checks: (XccdfCheck | XccdfComplexCheck)[];
}

/** Text of a fix script: literal text, or a placeholder substituted with a Value at remediation time. */
export type XccdfFixPart = string | { sub: string };

export interface XccdfFix {
  id: string | undefined;
  system: string | undefined;
  complexity: string | undefined;
  disruption: string | undefined;
  reboot: boolean | undefined;
  strategy: string | undefined;
  platform: string | undefined;
  content: XccdfFixPart[];
}

export interface XccdfRule extends ItemBase {
  kind: 'rule';
  rationale: string | undefined;
  severity: XccdfSeverity;
  role: XccdfRole;
  idents: XccdfIdent[];
  references: XccdfReference[];
  /** `<check>` alternatives in document order (the evaluator takes the first supported system). */
  checks: XccdfCheck[];
  complexCheck: XccdfComplexCheck | undefined;
  fixes: XccdfFix[];
}

export type XccdfItem = XccdfGroup | XccdfRule;

/** A value, default, bound or choice list, optionally tagged with a selector. */
export interface Selected<T> {
  selector: string | undefined;
  value: T;
}

export interface XccdfValue {
  kind: 'value';
  id: string;
  title: string | undefined;
  description: string | undefined;
  type: ValueType;
  operator: ValueOperator;
  interactive: boolean;
  hidden: boolean;
  values: Selected<string>[];
  defaults: Selected<string>[];
  lowerBounds: Selected<string>[];
  upperBounds: Selected<string>[];
  matches: Selected<string>[];
  choices: Selected<{ mustMatch: boolean; choices: string[] }>[];
  ancestors: string[];
}

export interface XccdfSelect {
  idref: string;
  selected: boolean;
}

export interface XccdfRefineValue {
  idref: string;
  selector: string | undefined;
  operator: ValueOperator | undefined;
}

export interface XccdfSetValue {
  idref: string;
  value: string;
}

export interface XccdfRefineRule {
  idref: string;
  weight: number | undefined;
  selector: string | undefined;
  severity: XccdfSeverity | undefined;
  role: XccdfRole | undefined;
}

export interface XccdfProfile {
  id: string;
  title: string | undefined;
  description: string | undefined;
  extends: string | undefined;
  abstract: boolean;
  platforms: string[];
  /** Profile children in document order; later ones override earlier ones for the same idref. */
  selects: XccdfSelect[];
  refineValues: XccdfRefineValue[];
  setValues: XccdfSetValue[];
  refineRules: XccdfRefineRule[];
}
