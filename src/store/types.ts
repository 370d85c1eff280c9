/**
 * What the rule store keeps, as plain JSON-serialisable records. These shapes are the contract
 * between `vouch content import` and every feature that reads the store (tailoring, data stream
 * generation, fix generation, `vouch rules`); docs/rule-store.md describes them.
 */
import type { ScapVariable } from '../scap/variables/typed-variable.js';

/** Bump when a stored shape changes; a store written by another version is refused with a clear error. */
export const STORE_FORMAT = 1;

export type SourceKind = 'datastream' | 'cac';

export interface StoredSource {
  /** Short, stable id (`ssg-ubuntu2204`), from the file or directory name; what users type. */
  id: string;
  kind: SourceKind;
  /** Absolute path the content was imported from. */
  origin: string;
  /** sha256 of the data stream bytes (kind datastream) or of the rule files (kind cac). */
  sha256: string;
  /** Benchmark id(s) of the data stream; empty for CaC sources. */
  benchmarkIds: string[];
  /** Benchmark `<version>` (SSG release, e.g. 0.1.65); undefined for CaC sources. */
  version: string | undefined;
  title: string | undefined;
  /** ISO 8601 time of the import that wrote this entry. */
  importedAt: string;
  counts: { rules: number; variables: number; profiles: number };
}

export interface StoreManifest {
  format: number;
  sources: StoredSource[];
}

/** One remediation, with `<sub idref>` placeholders kept as `{ sub: valueId }` parts. */
export interface StoredFix {
  /** bash (urn:xccdf:fix:script:sh), ansible (urn:xccdf:fix:script:ansible), other (any other system, verbatim). */
  kind: 'bash' | 'ansible' | 'other';
  system: string;
  id: string | undefined;
  complexity: string | undefined;
  disruption: string | undefined;
  reboot: boolean | undefined;
  strategy: string | undefined;
  platform: string | undefined;
  content: (string | { sub: string })[];
}

/** A check reference: the check system and the content it points at (OVAL definition, OCIL questionnaire). */
export interface StoredCheck {
  system: string;
  href: string;
  name: string | undefined;
  /** Values exported to the check (`check-export value-id`), by full id. */
  exports: string[];
}

export interface StoredRule {
  /** Full id (xccdf_org.ssgproject.content_rule_x). */
  id: string;
  /** Short id (x): what users type. */
  shortId: string;
  sourceId: string;
  benchmarkId: string | undefined;
  title: string | undefined;
  description: string | undefined;
  rationale: string | undefined;
  severity: string;
  /** Ids of the enclosing Groups, outermost first (CaC: the directories above the rule). */
  groups: string[];
  idents: { system: string; value: string }[];
  /**
   * Framework id (see FRAMEWORKS in references.ts: cis, nist, srg, stigid, pcidss, ...) -> control
   * ids in document order. References Vouch does not recognise are kept under their href.
   */
  references: Record<string, string[]>;
  checks: StoredCheck[];
  fixes: StoredFix[];
  /** Platform idrefs (`#machine`, CPE names) or, for CaC, the `platform:` expression. */
  platforms: string[];
  /** Full ids of the Values the rule uses (check exports, fix placeholders, CaC macros). */
  variables: string[];
  /** Short ids of the profiles of its source that select the rule. */
  profiles: string[];
  /** CaC `template:` (name and vars) for templated rules; undefined otherwise. */
  template?: { name: string; vars: Record<string, unknown> } | undefined;
}

export type StoredVariable = ScapVariable & { sourceId: string };

export interface StoredProfile {
  id: string;
  shortId: string;
  sourceId: string;
  benchmarkId: string;
  title: string | undefined;
  description: string | undefined;
  extends: string | undefined;
  /** Full ids of the selected rules, document order (XCCDF selection semantics, resolveProfile). */
  selectedRules: string[];
  /** Full Value id -> the value this profile gives it and where it came from. */
  values: Record<
    string,
    { value: string; selector: string | undefined; source: 'default' | 'selector' | 'set-value' }
  >;
}

/** What a re-import changed, rule by rule and variable by variable. */
export interface ImportDiff {
  sourceId: string;
  previousVersion: string | undefined;
  version: string | undefined;
  previousSha256: string;
  sha256: string;
  rulesAdded: string[];
  rulesRemoved: string[];
  rulesChanged: { id: string; fields: string[] }[];
  variablesAdded: string[];
  variablesRemoved: string[];
  /** Defaults shown through displayValue: sensitive variables are masked. */
  variableDefaultsChanged: { id: string; from: string; to: string }[];
  profilesAdded: string[];
  profilesRemoved: string[];
}

export interface ImportResult {
  source: StoredSource;
  /** undefined on a first import; present (possibly empty) on a re-import of the same source id. */
  diff: ImportDiff | undefined;
  unchanged: boolean;
  warnings: string[];
}
