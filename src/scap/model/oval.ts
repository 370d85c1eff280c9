/**
 * Typed model of OVAL 5.11 definitions documents. Tests, objects and states are modelled generically
 * (family + type + entities) because every probe shares the same entity/attribute grammar; what differs
 * per probe is the evaluator's business. Variables and their function trees are modelled exactly.
 */
import type { UnknownConstruct } from './unknown.js';

export type OvalOperator = 'AND' | 'OR' | 'ONE' | 'XOR';
export type OvalCheck = 'all' | 'at least one' | 'none exist' | 'none satisfy' | 'only one';
export type OvalExistence =
  | 'all_exist'
  | 'any_exist'
  | 'at_least_one_exists'
  | 'none_exist'
  | 'only_one_exists';

export interface OvalDocument {
  /** Generator product name and schema version, when present. */
  generator: { productName: string | undefined; schemaVersion: string | undefined };
  definitions: Map<string, OvalDefinition>;
  tests: Map<string, OvalTest>;
  objects: Map<string, OvalObject>;
  states: Map<string, OvalState>;
  variables: Map<string, OvalVariable>;
  unknown: UnknownConstruct[];
}

export interface OvalDefinition {
  id: string;
  version: string;
  class: string;
  deprecated: boolean;
  title: string | undefined;
  criteria: OvalCriteria | undefined;
}

export interface OvalCriteria {
  kind: 'criteria';
  operator: OvalOperator;
  negate: boolean;
  applicabilityCheck: boolean | undefined;
  children: OvalCriteriaNode[];
}

export interface OvalCriterion {
  kind: 'criterion';
  testRef: string;
  negate: boolean;
  applicabilityCheck: boolean | undefined;
}

export interface OvalExtendDefinition {
  kind: 'extend_definition';
  definitionRef: string;
  negate: boolean;
  applicabilityCheck: boolean | undefined;
}

export type OvalCriteriaNode = OvalCriteria | OvalCriterion | OvalExtendDefinition;

interface TypedElement {
  id: string;
  version: string;
  /** Short family (`ind`, `unix`, `linux`) or the full namespace URI for families without a short name. */
  family: string;
  /** Local element name, e.g. `textfilecontent54_test`. */
  type: string;
  comment: string | undefined;
  deprecated: boolean;
}

export interface OvalTest extends TypedElement {
  check: OvalCheck;
  checkExistence: OvalExistence;
  stateOperator: OvalOperator;
  objectRef: string | undefined;
  stateRefs: string[];
}

/** Attributes shared by object and state entities (OVAL EntityAttributeGroup). */
export interface OvalEntity {
  name: string;
  /** Text value; undefined when `xsi:nil="true"` (or when the value comes from var_ref). */
  value: string | undefined;
  nil: boolean;
  datatype: string;
  operation: string;
  mask: boolean;
  varRef: string | undefined;
  varCheck: string | undefined;
  /** State entities only (`entity_check`, default `all`). */
  entityCheck: string | undefined;
  /** Record datatype: the `<field>` children. */
  fields: OvalEntity[] | undefined;
}

export interface OvalFilter {
  action: 'include' | 'exclude';
  stateRef: string;
}

export interface OvalSet {
  operator: 'UNION' | 'INTERSECTION' | 'COMPLEMENT';
  objectRefs: string[];
  filters: OvalFilter[];
  /** Nested sets (an OVAL set holds either object references or sets). */
  sets: OvalSet[];
}

export interface OvalObject extends TypedElement {
  entities: OvalEntity[];
  /** `<behaviors>` attributes, e.g. `{recurse: 'directories', max_depth: '-1'}`. */
  behaviors: Record<string, string> | undefined;
  filters: OvalFilter[];
  set: OvalSet | undefined;
}

export interface OvalState extends TypedElement {
  operator: OvalOperator;
  entities: OvalEntity[];
}

export type OvalVariable = OvalExternalVariable | OvalConstantVariable | OvalLocalVariable;

interface VariableBase {
  id: string;
  version: string;
  datatype: string;
  comment: string | undefined;
  deprecated: boolean;
}

export interface OvalExternalVariable extends VariableBase {
  kind: 'external_variable';
  /** `possible_value` / `possible_restriction` children are kept as raw operation/value pairs. */
  possibleValues: { hint: string | undefined; value: string }[];
}

export interface OvalConstantVariable extends VariableBase {
  kind: 'constant_variable';
  values: string[];
}

export interface OvalLocalVariable extends VariableBase {
  kind: 'local_variable';
  component: OvalComponent;
}

/** The local_variable component/function tree (OVAL 5.11 ComponentGroup). */
export type OvalComponent =
  | { kind: 'literal_component'; datatype: string; value: string }
  | { kind: 'object_component'; objectRef: string; itemField: string; recordField: string | undefined }
  | { kind: 'variable_component'; varRef: string }
  | { kind: 'arithmetic'; operation: 'add' | 'multiply'; components: OvalComponent[] }
  | { kind: 'begin'; character: string; component: OvalComponent }
  | { kind: 'end'; character: string; component: OvalComponent }
  | { kind: 'concat'; components: OvalComponent[] }
  | { kind: 'count'; components: OvalComponent[] }
  | { kind: 'escape_regex'; component: OvalComponent }
  | { kind: 'glob_to_regex'; globNoEscape: boolean; component: OvalComponent }
  | { kind: 'regex_capture'; pattern: string; component: OvalComponent }
  | { kind: 'split'; delimiter: string; component: OvalComponent }
  | { kind: 'substring'; start: number; length: number; component: OvalComponent }
  | { kind: 'time_difference'; format1: string; format2: string; components: OvalComponent[] }
  | { kind: 'unique'; components: OvalComponent[] }
  | { kind: 'unknown'; element: string };
