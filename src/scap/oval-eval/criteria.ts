/**
 * Definition results from test results: the criteria tree with its operators, negate on criteria,
 * criterion and extend_definition. Test results come from the caller (they need collection); the
 * tree walk itself is pure.
 */
import type { OvalCriteriaNode, OvalDefinition } from '../model/oval.js';
import { combineByOperator, negate, type OvalResult } from './result.js';

export interface CriteriaContext {
  /** Result of a test (already evaluated, or evaluated on demand by the caller). */
  testResult(testRef: string): OvalResult;
  definition(id: string): OvalDefinition | undefined;
}

/**
 * Evaluates one definition; results of extended definitions are memoised in `memo` so a definition
 * shared by many rules is evaluated once. A missing or cyclic extend_definition is an `error` result
 * (content bug), not an exception, so one broken rule cannot stop a scan.
 */
export function evaluateDefinition(
  definition: OvalDefinition,
  ctx: CriteriaContext,
  memo: Map<string, OvalResult> = new Map(),
): OvalResult {
  return evalDef(definition, ctx, memo, new Set());
}

function evalDef(
  definition: OvalDefinition,
  ctx: CriteriaContext,
  memo: Map<string, OvalResult>,
  active: Set<string>,
): OvalResult {
  const known = memo.get(definition.id);
  if (known) return known;
  // OVAL allows a definition without criteria (deprecated ones); there is nothing to evaluate.
  if (!definition.criteria) return 'not evaluated';
  active.add(definition.id);
  const result = evalNode(definition.criteria, ctx, memo, active);
  active.delete(definition.id);
  memo.set(definition.id, result);
  return result;
}

function evalNode(
  node: OvalCriteriaNode,
  ctx: CriteriaContext,
  memo: Map<string, OvalResult>,
  active: Set<string>,
): OvalResult {
  let result: OvalResult;
  switch (node.kind) {
    case 'criteria':
      result = combineByOperator(
        node.operator,
        node.children.map((c) => evalNode(c, ctx, memo, active)),
      );
      break;
    case 'criterion':
      result = ctx.testResult(node.testRef);
      break;
    case 'extend_definition': {
      const target = ctx.definition(node.definitionRef);
      result = !target || active.has(node.definitionRef) ? 'error' : evalDef(target, ctx, memo, active);
      break;
    }
  }
  return node.negate ? negate(result) : result;
}
