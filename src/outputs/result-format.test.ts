/**
 * Keeps docs/result-format.md, the JSON schema and the JSON writer in step: the documented
 * example and real reports validate against the schema, and the schema's vocabularies are the
 * core's. A small validator covers the JSON Schema subset the schema uses (no dependency).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESULT_STATUSES, SCAN_RESULT_SCHEMA, SEVERITIES } from '../core/results.js';
import { leakyScanResult, SENSITIVE, sampleScanResult } from './fixtures.js';
import { renderJson } from './json.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: Schema;
  items?: Schema;
  anyOf?: Schema[];
  minimum?: number;
  maximum?: number;
  $defs?: Record<string, Schema>;
};

const root = JSON.parse(
  readFileSync(new URL('./scan-result-v1.schema.json', import.meta.url), 'utf8'),
) as Schema & { $id: string; title: string };
const doc = readFileSync(new URL('../../docs/result-format.md', import.meta.url), 'utf8');

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Returns the problems found, as `path: problem`. */
function validate(value: unknown, schema: Schema, path = '$'): string[] {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/$defs/', '');
    const target = root.$defs?.[name];
    if (!target) return [`${path}: unresolved ${schema.$ref}`];
    return validate(value, target, path);
  }
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const allowed = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = allowed.some((t) => t === actual || (t === 'number' && actual === 'integer'));
    if (!ok) return [`${path}: expected ${allowed.join('|')}, got ${actual}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${path}: expected ${String(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${path}: ${String(value)} not in enum`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${path}: below minimum`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${path}: above maximum`);
  }
  if (schema.anyOf?.every((option) => validate(value, option, path).length > 0)) {
    problems.push(`${path}: matches no anyOf option`);
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in record)) problems.push(`${path}: missing ${key}`);
    for (const [key, item] of Object.entries(record)) {
      const sub = schema.properties?.[key] ?? schema.additionalProperties;
      if (sub) problems.push(...validate(item, sub, `${path}.${key}`));
    }
  }
  if (actual === 'array' && schema.items) {
    (value as unknown[]).forEach((item, i) => {
      problems.push(...validate(item, schema.items!, `${path}[${i}]`));
    });
  }
  return problems;
}

function docExample(): string {
  const m = /## Example[\s\S]*?```json\n([\s\S]*?)```/.exec(doc);
  if (!m) throw new Error('docs/result-format.md has no example');
  return m[1]!;
}

describe('result format (docs/result-format.md, scan-result-v1.schema.json)', () => {
  it('validates real reports against the schema', () => {
    expect(validate(JSON.parse(renderJson(sampleScanResult())), root)).toEqual([]);
    const masked = renderJson(leakyScanResult(), { sensitiveVariables: SENSITIVE });
    expect(validate(JSON.parse(masked), root)).toEqual([]);
  });

  it('rejects documents that break the schema (the validator works)', () => {
    const bad = JSON.parse(renderJson(sampleScanResult())) as {
      schema: string;
      results: Array<{ status: string; evidence: Array<{ line?: number }> }>;
      summary: { score: { flat: number }; counts: Record<string, number> };
    };
    bad.schema = 'vouch.scan-result/v2';
    bad.results[0]!.status = 'passed';
    bad.results[1]!.evidence[0]!.line = 0;
    bad.summary.score.flat = 101;
    delete bad.summary.counts.fixed;
    expect(validate(bad, root)).toEqual([
      '$.schema: expected vouch.scan-result/v1',
      '$.summary.counts: missing fixed',
      '$.summary.score.flat: above maximum',
      '$.results[0].status: passed not in enum',
      '$.results[1].evidence[0].line: below minimum',
    ]);
  });

  it("uses the core's schema id and vocabularies", () => {
    expect(root.properties?.schema?.const).toBe(SCAN_RESULT_SCHEMA);
    expect(root.$defs?.status?.enum).toEqual([...RESULT_STATUSES]);
    expect(root.$defs?.severity?.enum).toEqual([...SEVERITIES]);
    expect(root.$defs?.counts?.required).toEqual([...RESULT_STATUSES]);
    expect(doc).toContain(`"schema": "${SCAN_RESULT_SCHEMA}"`);
  });

  it('has a documented example that validates and is in canonical form', () => {
    const example = docExample();
    const parsed = JSON.parse(example);
    expect(validate(parsed, root)).toEqual([]);
    // Re-rendering keeps content and key order: the example shows what the writer emits
    // (whitespace aside, which the docs formatter may reflow).
    expect(JSON.stringify(JSON.parse(renderJson(parsed)))).toBe(JSON.stringify(parsed));
  });

  it('documents every field and status of the schema', () => {
    const names = new Set<string>();
    const walk = (schema: Schema): void => {
      for (const [key, sub] of Object.entries(schema.properties ?? {})) {
        names.add(key);
        walk(sub);
      }
      for (const option of schema.anyOf ?? []) walk(option);
    };
    walk(root);
    for (const def of Object.values(root.$defs ?? {})) walk(def);
    for (const status of RESULT_STATUSES) names.add(status);
    const missing = [...names].filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });
});
