/**
 * Evaluating one prepared rule against collected facts. Pure apart from the clock used for timing.
 */
import type { CheckRef, EvaluateContext, FactLookup } from '../checks/check-type.js';
import { errorMessage, VouchError } from '../errors.js';
import { type FactKind, type FactRequestOf, factKey } from '../facts/fact-request.js';
import type { FactResult } from '../facts/fact-result.js';
import type { CheckOutcome, RuleResult } from '../results.js';
import { anyPlatformMatches } from '../rules/platforms.js';
import type { TargetKind } from '../target-kind.js';
import type { PreparedRule, SpecParser } from './prepare.js';

export interface EvaluateRuleOptions {
  parser: SpecParser;
  targetKind: TargetKind;
  facts: ReadonlyMap<string, FactResult>;
  now: () => number;
}

/** A lookup that only serves the facts the rule declared: reading anything else is a check bug. */
function lookupFor(prepared: PreparedRule, facts: ReadonlyMap<string, FactResult>): FactLookup {
  return {
    get<K extends FactKind>(request: FactRequestOf<K>): FactResult<K> {
      const key = factKey(request);
      if (!prepared.facts.has(key)) {
        throw new VouchError('UNDECLARED_FACT', `check read fact "${key}" that it did not declare`);
      }
      const result = facts.get(key);
      if (!result) throw new VouchError('FACT_NOT_COLLECTED', `fact "${key}" was not collected`);
      return result as FactResult<K>;
    },
  };
}

function evaluateCheck(
  check: CheckRef,
  context: EvaluateContext,
  parser: SpecParser,
  where: string,
): CheckOutcome {
  const type = parser.typeOf(check);
  if (type.targets && !type.targets.includes(context.targetKind)) {
    return {
      status: 'notchecked',
      message: `check type "${type.id}" cannot run on a ${context.targetKind} target`,
      evidence: [],
    };
  }
  return type.evaluate(parser.parse(check, where), context);
}

export function evaluateRule(prepared: PreparedRule, options: EvaluateRuleOptions): RuleResult {
  const started = options.now();
  const { rule } = prepared;
  const finish = (outcome: CheckOutcome): RuleResult => ({
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    status: outcome.status,
    message: outcome.message,
    evidence: outcome.evidence,
    references: rule.references,
    durationMs: Math.max(0, options.now() - started),
    check: prepared.checkType,
  });

  if (prepared.problem || !prepared.check) {
    return finish({
      status: prepared.problem?.status ?? 'error',
      message: prepared.problem?.message ?? 'not prepared',
      evidence: [],
    });
  }

  const where = rule.source?.file ?? `rule ${rule.id}`;
  const context: EvaluateContext = {
    facts: lookupFor(prepared, options.facts),
    targetKind: options.targetKind,
    evaluateNested: (nested) => evaluateCheck(nested, context, options.parser, where),
  };

  try {
    const platforms = rule.applicability?.platforms;
    if (platforms?.length) {
      const os = context.facts.get({ kind: 'os-release' });
      if (os.status !== 'ok') {
        return finish({
          status: 'notchecked',
          message: `platform could not be determined: ${os.status === 'error' ? os.message : os.reason}`,
          evidence: [],
        });
      }
      if (!anyPlatformMatches(platforms, os.value)) {
        return finish({
          status: 'notapplicable',
          message: `applies to ${platforms.join(', ')}; target is ${os.value.prettyName || `${os.value.id} ${os.value.versionId}`}`,
          evidence: [
            {
              source: 'file',
              resource: '/etc/os-release',
              expected: platforms.join(' | '),
              found: `${os.value.id} ${os.value.versionId}`,
            },
          ],
        });
      }
    }
    if (prepared.when) {
      const gate = evaluateCheck(prepared.when, context, options.parser, where);
      if (gate.status === 'fail') {
        return finish({
          status: 'notapplicable',
          message: `not applicable: ${gate.message}`,
          evidence: gate.evidence,
        });
      }
      if (gate.status !== 'pass') {
        return finish({
          status: gate.status,
          message: `applicability: ${gate.message}`,
          evidence: gate.evidence,
        });
      }
    }
    return finish(evaluateCheck(prepared.check, context, options.parser, where));
  } catch (error) {
    // A check that throws is a bug in the check or a malformed fact; the rule reports it, the scan goes on.
    return finish({
      status: 'error',
      message: `check ${prepared.check.type} failed: ${errorMessage(error)}`,
      evidence: [],
    });
  }
}
