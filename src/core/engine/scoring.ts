/**
 * Scores, as XCCDF 1.2 defines them (section 7.3): the default model is hierarchical over groups
 * (here: rule sections), the flat models count weighted or unweighted passes among counted rules.
 */
import type { ResultStatus, ScoreSet } from '../results.js';

/** Results that do not take part in scoring (XCCDF 1.2, default model). */
const NOT_COUNTED: ReadonlySet<ResultStatus> = new Set([
  'notselected',
  'notapplicable',
  'informational',
  'notchecked',
]);

export interface ScoredRule {
  status: ResultStatus;
  weight: number;
  group: string;
}

function ruleScore(status: ResultStatus): number {
  return status === 'pass' || status === 'fixed' ? 100 : 0;
}

const round = (value: number): number => Math.round(value * 100) / 100;

export function computeScores(rules: readonly ScoredRule[]): ScoreSet {
  const counted = rules.filter((rule) => !NOT_COUNTED.has(rule.status));

  const groups = new Map<string, { score: number; weight: number }>();
  for (const rule of counted) {
    const group = groups.get(rule.group) ?? { score: 0, weight: 0 };
    group.score += ruleScore(rule.status) * rule.weight;
    group.weight += rule.weight;
    groups.set(rule.group, group);
  }
  // Groups weigh 1 each at the top level, as the XCCDF default for a Group's weight.
  let top = 0;
  let topWeight = 0;
  for (const group of groups.values()) {
    if (group.weight === 0) continue;
    top += group.score / group.weight;
    topWeight += 1;
  }

  const totalWeight = counted.reduce((sum, rule) => sum + rule.weight, 0);
  const passWeight = counted.reduce((sum, rule) => sum + (ruleScore(rule.status) > 0 ? rule.weight : 0), 0);
  const passCount = counted.filter((rule) => ruleScore(rule.status) > 0).length;

  return {
    default: topWeight === 0 ? 0 : round(top / topWeight),
    flat: totalWeight === 0 ? 0 : round((passWeight / totalWeight) * 100),
    flatUnweighted: counted.length === 0 ? 0 : round((passCount / counted.length) * 100),
  };
}
