/**
 * The XCCDF 1.2 `<TestResult>` element, children in the order oscap 1.3.7 writes them (which is the
 * order the XCCDF 1.2 schema requires). Shared by the `--results` document (appended to the
 * Benchmark copy) and the ARF report (standalone, with check hrefs pointing at ARF reports).
 */
import { SENSITIVE_MASK } from '../../core/rules/sensitive.js';
import { isSensitiveValueId } from '../evaluate/mask-sensitive.js';
import type { XccdfRun } from '../results/model.js';
import { type Attributes, formatFixed6, type XmlWriter } from './xml-writer.js';

export const NS_XCCDF12 = 'http://checklists.nist.gov/xccdf/1.2';

export interface TestResultOptions {
  /** `<benchmark href>`: the source file name (results) or `#<component id>` (ARF). */
  benchmarkHref: string;
  /** Benchmark `<version>`, copied to `@version` as oscap does. */
  benchmarkVersion: string | undefined;
  /** Declare the XCCDF namespace on TestResult (when it is not inside a Benchmark using it). */
  declareNamespace: boolean;
  /** ARF: `<target-id-ref>` naming the asset. */
  assetId?: string;
  /** Rewrites a check-content-ref href (ARF points them at `#oval0`...). */
  checkHref?: (href: string) => string;
  /** `@test-system`, a CPE name of the scanner. */
  testSystem: string;
  /** `<identity>`: the user the scan ran as (left out when unknown). */
  identity?: { name: string; authenticated: boolean; privileged: boolean };
  /** Value ids marked sensitive beyond the name heuristic; their set-value is written masked. */
  sensitiveValueIds?: ReadonlySet<string>;
}

export function writeTestResult(w: XmlWriter, run: XccdfRun, options: TestResultOptions): void {
  w.start('TestResult', [
    ['xmlns', options.declareNamespace ? NS_XCCDF12 : undefined],
    ['id', run.testResultId],
    ['start-time', run.startTime],
    ['end-time', run.endTime],
    ['version', options.benchmarkVersion],
    ['test-system', options.testSystem],
  ]);
  w.leaf('benchmark', [
    ['href', options.benchmarkHref],
    ['id', run.benchmarkId],
  ]);
  w.leaf('title', [], 'Vouch Scan Result');
  if (options.identity) {
    w.leaf(
      'identity',
      [
        ['authenticated', String(options.identity.authenticated)],
        ['privileged', String(options.identity.privileged)],
      ],
      options.identity.name,
    );
  }
  if (run.profileId !== undefined) w.leaf('profile', [['idref', run.profileId]]);
  w.leaf('target', [], run.target.name);
  for (const address of run.target.addresses) w.leaf('target-address', [], address);
  if (run.target.facts.length > 0) {
    w.start('target-facts');
    for (const fact of run.target.facts) {
      w.leaf(
        'fact',
        [
          ['name', fact.name],
          ['type', fact.type],
        ],
        fact.value,
      );
    }
    w.end('target-facts');
  }
  if (options.assetId !== undefined) {
    w.leaf('target-id-ref', [
      ['system', 'http://scap.nist.gov/schema/asset-identification/1.1'],
      ['name', options.assetId],
      ['href', ''],
    ]);
  }
  for (const platform of run.applicablePlatforms) w.leaf('platform', [['idref', platform]]);
  for (const setValue of run.setValues) {
    // A report is not an input to anything: a sensitive value is written as the mask (docs/tailoring.md).
    const masked = isSensitiveValueId(setValue.valueId, options.sensitiveValueIds);
    w.leaf('set-value', [['idref', setValue.valueId]], masked ? SENSITIVE_MASK : setValue.value);
  }
  for (const rule of run.rules) {
    w.start('rule-result', [
      ['idref', rule.ruleId],
      ['role', rule.role],
      ['time', rule.time],
      ['severity', rule.severity],
      ['weight', formatFixed6(rule.weight)],
    ]);
    w.leaf('result', [], rule.result);
    for (const ident of rule.idents) w.leaf('ident', [['system', ident.system]], ident.value);
    // The schema puts message before check (oscap writes messages only on check-less results).
    for (const message of rule.messages) w.leaf('message', [['severity', message.severity]], message.text);
    if (rule.check) {
      w.start('check', [['system', rule.check.system]]);
      for (const exported of rule.check.exports) {
        w.leaf('check-export', [
          ['export-name', exported.exportName],
          ['value-id', exported.valueId],
        ]);
      }
      const contentRef: Attributes = [
        ['name', rule.check.name || undefined],
        ['href', options.checkHref ? options.checkHref(rule.check.href) : rule.check.href],
      ];
      w.leaf('check-content-ref', contentRef);
      w.end('check');
    }
    w.end('rule-result');
  }
  for (const score of run.scores) {
    w.leaf(
      'score',
      [
        ['system', score.system],
        ['maximum', formatFixed6(score.maximum)],
      ],
      formatFixed6(score.score),
    );
  }
  w.end('TestResult');
}
