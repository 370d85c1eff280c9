/**
 * JSON report: the ScanResult as one document (schema `vouch.scan-result/v1`, docs/result-format.md).
 * Keys are written in a fixed order so two scans of the same host diff line by line, whatever
 * order the engine happened to build its objects in.
 */
import { RESULT_STATUSES, type ScanResult } from '../core/results.js';
import { redactSensitive } from './common.js';
import type { ReportOptions } from './options.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Copies `value` with the `known` keys first, in that order, then any other keys sorted.
 * Unknown keys are kept rather than dropped: additive schema changes must reach consumers
 * even before this writer learns about them.
 */
function ordered(
  value: object,
  known: readonly string[],
  child: (key: string, item: unknown) => Json = (_key, item) => plain(item),
): { [key: string]: Json } {
  const record = value as Record<string, unknown>;
  const extra = Object.keys(record)
    .filter((key) => !known.includes(key))
    .sort();
  const out: { [key: string]: Json } = {};
  for (const key of [...known, ...extra]) {
    const item = record[key];
    if (item === undefined) continue;
    out[key] = child(key, item);
  }
  return out;
}

/** Any value with object keys sorted: used for maps (variables, references) and unknown shapes. */
function plain(value: unknown): Json {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'object') return ordered(value, []);
  return null;
}

const EVIDENCE_KEYS = ['source', 'resource', 'line', 'expected', 'found', 'detail'];
const RULE_KEYS = [
  'ruleId',
  'title',
  'severity',
  'status',
  'message',
  'evidence',
  'references',
  'durationMs',
  'check',
];
const SUMMARY_KEYS = ['total', 'counts', 'score', 'factsCollected', 'factsFromCache', 'timings'];
const TOP_KEYS = [
  'schema',
  'tool',
  'target',
  'profile',
  'startedAt',
  'finishedAt',
  'variables',
  'summary',
  'results',
];

/** The ScanResult as a plain JSON value with canonical key order. */
export function canonicalScanResult(result: ScanResult): Json {
  return ordered(result, TOP_KEYS, (key, item) => {
    switch (key) {
      case 'tool':
        return ordered(item as object, ['name', 'version']);
      case 'target':
        return ordered(item as object, ['kind', 'description', 'hostname', 'os']);
      case 'profile':
        return item === null ? null : ordered(item as object, ['id', 'title']);
      case 'summary':
        return ordered(item as object, SUMMARY_KEYS, (summaryKey, summaryItem) => {
          switch (summaryKey) {
            case 'counts':
              return ordered(summaryItem as object, RESULT_STATUSES);
            case 'score':
              return ordered(summaryItem as object, ['default', 'flat', 'flatUnweighted']);
            case 'timings':
              return ordered(summaryItem as object, [
                'loadMs',
                'planMs',
                'collectMs',
                'evaluateMs',
                'totalMs',
              ]);
            default:
              return plain(summaryItem);
          }
        });
      case 'results':
        return (item as object[]).map((rule) =>
          ordered(rule, RULE_KEYS, (ruleKey, ruleItem) => {
            if (ruleKey === 'evidence') {
              return (ruleItem as object[]).map((evidence) => ordered(evidence, EVIDENCE_KEYS));
            }
            if (ruleKey === 'check') return ordered(ruleItem as object, ['type', 'version']);
            return plain(ruleItem);
          }),
        );
      default:
        return plain(item);
    }
  });
}

/** Renders the JSON report: 2-space indent, trailing newline, sensitive variables masked. */
export function renderJson(result: ScanResult, options: ReportOptions = {}): string {
  return `${JSON.stringify(canonicalScanResult(redactSensitive(result, options)), null, 2)}\n`;
}
