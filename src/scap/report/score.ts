/**
 * XCCDF 1.2 scoring models as oscap 1.3.7 computes them (xccdf_policy.c), including its use of C
 * `float`: every sum, product and quotient is rounded to float32 (Math.fround), which is why oscap
 * prints 68.489578 where double precision gives 68.489583.
 *
 * - default (`urn:xccdf:scoring:default`): hierarchical. A scored rule is 100 (pass, fixed) or 0
 *   (anything else); a Group or the Benchmark is Σ(child score × child weight) / Σ(child weight) over
 *   the children that hold at least one scored rule. Maximum 100.
 * - flat: Σ weight of passing rules out of Σ weight of scored rules (the maximum). Group weights
 *   play no part.
 * - flat-unweighted: the same with every weight 1.
 * - absolute: 1 when every scored rule passed, else 0; oscap writes the flat maximum as maximum.
 *
 * Rules whose result is notselected, notapplicable, informational or notchecked are not scored, nor
 * are rules without a result. A rule's weight is the one its rule-result carries (what the evaluator
 * resolved, refine-rule included); Group weights come from the Benchmark.
 */
import type { XccdfBenchmark, XccdfItem } from '../model/xccdf.js';
import type { XccdfResult, XccdfRuleRun, XccdfScore } from '../results/model.js';

export const SCORING = {
  default: 'urn:xccdf:scoring:default',
  flat: 'urn:xccdf:scoring:flat',
  flatUnweighted: 'urn:xccdf:scoring:flat-unweighted',
  absolute: 'urn:xccdf:scoring:absolute',
} as const;

const NOT_SCORED: ReadonlySet<XccdfResult> = new Set([
  'notselected',
  'notapplicable',
  'informational',
  'notchecked',
]);

const f = Math.fround;

type RuleLookup = Map<string, Pick<XccdfRuleRun, 'result' | 'weight'>>;

/**
 * Scores for the given models (default: the default model only, which is what oscap writes for a
 * Benchmark that names no `<model>`). An unknown system is an error.
 */
export function computeScores(
  benchmark: Pick<XccdfBenchmark, 'items'>,
  ruleResults: readonly Pick<XccdfRuleRun, 'ruleId' | 'result' | 'weight'>[],
  systems: readonly string[] = [SCORING.default],
): XccdfScore[] {
  const rules: RuleLookup = new Map(ruleResults.map((r) => [r.ruleId, r]));
  return systems.map((system): XccdfScore => {
    switch (system) {
      case SCORING.default: {
        const top = defaultScore(benchmark.items, 1, rules);
        return { system, score: top?.score ?? 0, maximum: 100 };
      }
      case SCORING.flat:
      case SCORING.flatUnweighted: {
        const flat = flatScore(benchmark.items, rules, system === SCORING.flatUnweighted);
        return { system, score: flat.score, maximum: flat.weight };
      }
      case SCORING.absolute: {
        const flat = flatScore(benchmark.items, rules, false);
        // oscap's maximum here is the flat maximum, not 1 (measured: 1.000000 out of 5.500000).
        return { system, score: flat.score === flat.weight ? 1 : 0, maximum: flat.weight };
      }
      default:
        throw new Error(`unknown XCCDF scoring model ${system}`);
    }
  });
}

interface DefaultScore {
  score: number;
  weight: number;
  count: number;
}

/** A container's (Group or Benchmark) default score; undefined when nothing below it is scored. */
function defaultScore(
  children: readonly XccdfItem[],
  weight: number,
  rules: RuleLookup,
): DefaultScore | undefined {
  let sum = 0;
  let accumulator = 0;
  let count = 0;
  for (const child of children) {
    const scored =
      child.kind === 'rule'
        ? ruleDefaultScore(child.id, rules)
        : defaultScore(child.children, child.weight, rules);
    if (!scored || scored.count === 0) continue;
    count++;
    sum = f(sum + f(scored.score * scored.weight));
    accumulator = f(accumulator + scored.weight);
  }
  if (count === 0) return undefined;
  return { score: accumulator > 0 ? f(sum / accumulator) : sum, weight: f(weight), count };
}

function ruleDefaultScore(id: string, rules: RuleLookup): DefaultScore | undefined {
  const rule = rules.get(id);
  if (!rule || NOT_SCORED.has(rule.result)) return undefined;
  return { score: passed(rule.result) ? 100 : 0, weight: f(rule.weight), count: 1 };
}

function flatScore(
  children: readonly XccdfItem[],
  rules: RuleLookup,
  unweighted: boolean,
): { score: number; weight: number } {
  let score = 0;
  let weight = 0;
  for (const child of children) {
    if (child.kind === 'group') {
      const inner = flatScore(child.children, rules, unweighted);
      score = f(score + inner.score);
      weight = f(weight + inner.weight);
      continue;
    }
    const rule = rules.get(child.id);
    if (!rule || NOT_SCORED.has(rule.result)) continue;
    const ruleWeight = unweighted ? 1 : f(rule.weight);
    weight = f(weight + ruleWeight);
    if (passed(rule.result)) score = f(score + ruleWeight);
  }
  return { score, weight };
}

function passed(result: XccdfResult): boolean {
  return result === 'pass' || result === 'fixed';
}
