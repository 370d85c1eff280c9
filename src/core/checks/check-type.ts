/**
 * The check-type contract. A check type is a plugin: a declaration (id, version, schema of its
 * spec, the facts it needs for a spec, the target kinds it supports) plus a pure evaluate function.
 *
 * `evaluate` gets only facts; it never touches a host. That is what lets the engine collect each fact
 * once for all rules, cache it, evaluate on a server what an agent collected, and re-evaluate only the
 * rules a changed fact affects.
 */
import type { z } from 'zod';
import type { FactKind, FactRequest, FactRequestOf } from '../facts/fact-request.js';
import type { FactResult } from '../facts/fact-result.js';
import type { CheckOutcome } from '../results.js';
import type { TargetKind } from '../target-kind.js';

/** A check as written in a rule: a type id plus its spec. */
export interface CheckRef {
  type: string;
  spec: unknown;
}

/** Read access to the facts collected for this scan. */
export interface FactLookup {
  /**
   * The result for a request the check declared in `facts()`. Asking for an undeclared fact throws:
   * the planner could not have collected it, and a silent miss would turn into a wrong verdict.
   */
  get<K extends FactKind>(request: FactRequestOf<K>): FactResult<K>;
}

export interface EvaluateContext {
  facts: FactLookup;
  /** Kind of the scanned target (e.g. to say "runtime state not available offline"). */
  targetKind: TargetKind;
  /** Evaluate a nested check (composite checks). The nested spec is already variable-resolved. */
  evaluateNested(check: CheckRef): CheckOutcome;
}

export interface CheckTypeDefinition<Spec = unknown> {
  /** Kebab-case id used in rule files, e.g. `file-mode`. */
  id: string;
  /** Bump when evaluate's logic changes: cached results keyed by the old version become stale. */
  version: number;
  /** One sentence saying what the check decides. */
  description: string;
  /** Schema of the spec; the engine validates (and applies defaults) before calling facts/evaluate. */
  spec: z.ZodType<Spec>;
  /** Target kinds this check can run on. Defaults to every host kind. */
  targets?: readonly TargetKind[];
  /** Facts needed to evaluate this spec. Composite checks get their children's through `nestedFacts`. */
  facts(spec: Spec, nestedFacts: (check: CheckRef) => FactRequest[]): FactRequest[];
  /** Pure: same spec and facts, same outcome. */
  evaluate(spec: Spec, ctx: EvaluateContext): CheckOutcome;
}

/** Identity function whose only job is type inference for `Spec` from the zod schema. */
export function defineCheckType<S extends z.ZodType>(
  definition: CheckTypeDefinition<z.output<S>> & { spec: S },
): CheckTypeDefinition<z.output<S>> {
  return definition;
}
