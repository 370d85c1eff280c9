import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheckType } from '../checks/check-type.js';
import { CheckTypeRegistry } from '../checks/registry.js';
import type { FactRequest } from '../facts/fact-request.js';
import type { FactResult } from '../facts/fact-result.js';
import type { Rule } from '../rules/rule.js';
import type { FactProvider } from './fact-provider.js';
import { ScanEngine } from './scan-engine.js';

/** A check type for engine tests: a file must contain a line. */
const lineCheck = defineCheckType({
  id: 'has-line',
  version: 1,
  description: 'Require a file to contain a line',
  spec: z.object({ path: z.string(), line: z.string() }).strict(),
  facts: (spec) => [{ kind: 'file-text', path: spec.path }],
  evaluate(spec, ctx) {
    const fact = ctx.facts.get({ kind: 'file-text', path: spec.path });
    if (fact.status !== 'ok') return { status: 'error', message: 'unreadable', evidence: [] };
    const found = fact.value.text?.split('\n').includes(spec.line) ?? false;
    return {
      status: found ? 'pass' : 'fail',
      message: found ? 'found' : 'missing',
      evidence: found ? [] : [{ source: 'file', resource: spec.path, expected: spec.line }],
    };
  },
});

const throwingCheck = defineCheckType({
  id: 'throws',
  version: 1,
  description: 'Always throws',
  spec: z.object({}).strict(),
  facts: () => [],
  evaluate() {
    throw new Error('boom');
  },
});

/** An in-memory host whose files can change between scans; counts collections per fact. */
class MemoryHost implements FactProvider {
  readonly targetKind = 'root' as const;
  readonly collections: string[] = [];
  readonly files = new Map<string, { text: string; version: number }>();

  write(path: string, text: string): void {
    this.files.set(path, { text, version: (this.files.get(path)?.version ?? 0) + 1 });
  }

  async collect(request: FactRequest): Promise<FactResult> {
    this.collections.push(request.kind === 'file-text' ? request.path : request.kind);
    if (request.kind === 'file-text') {
      const file = this.files.get(request.path);
      return {
        status: 'ok',
        value: { path: request.path, exists: file !== undefined, text: file?.text },
        sources: [{ path: request.path, fingerprint: this.fingerprintOf(request.path) }],
      };
    }
    if (request.kind === 'os-release') {
      return {
        status: 'ok',
        value: { id: 'debian', versionId: '12', idLike: [], prettyName: 'Debian 12', fields: {} },
        sources: [],
      };
    }
    return { status: 'unavailable', reason: 'not in memory', sources: [] };
  }

  fingerprintOf(path: string): string {
    const file = this.files.get(path);
    return file ? `v${file.version}` : 'absent';
  }

  async fingerprint(paths: string[]): Promise<string[]> {
    return paths.map((path) => this.fingerprintOf(path));
  }
}

function rule(id: string, check: Rule['check'], extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: id,
    description: id,
    rationale: id,
    severity: 'medium',
    section: 'test',
    weight: 1,
    references: {},
    variables: [],
    check,
    remediation: {},
    ...extra,
  };
}

function setup() {
  const registry = new CheckTypeRegistry()
    .register('has-line', async () => lineCheck)
    .register('throws', async () => throwingCheck);
  const host = new MemoryHost();
  host.write('/etc/a.conf', 'alpha\nbeta\n');
  host.write('/etc/b.conf', 'gamma\n');
  const engine = new ScanEngine({ registry, provider: host });
  const rules = [
    rule('a-has-alpha', { type: 'has-line', spec: { path: '/etc/a.conf', line: 'alpha' } }),
    rule('a-has-beta', { type: 'has-line', spec: { path: '/etc/a.conf', line: 'beta' } }),
    rule('b-has-delta', { type: 'has-line', spec: { path: '/etc/b.conf', line: 'delta' } }),
  ];
  return { registry, host, engine, rules };
}

describe('ScanEngine', () => {
  it('collects each distinct fact once and indexes fact -> rules', async () => {
    const { host, engine, rules } = setup();
    const scan = await engine.scan({ rules, variables: new Map() });
    expect(scan.results.map((r) => [r.ruleId, r.status])).toEqual([
      ['a-has-alpha', 'pass'],
      ['a-has-beta', 'pass'],
      ['b-has-delta', 'fail'],
    ]);
    expect(host.collections.sort()).toEqual(['/etc/a.conf', '/etc/b.conf']);
    expect(engine.factIndex().get('file-text:path="/etc/a.conf"')).toEqual(['a-has-alpha', 'a-has-beta']);
    expect(scan.results[2]?.evidence[0]).toMatchObject({ resource: '/etc/b.conf', expected: 'delta' });
  });

  it('on rescan re-collects only changed facts and re-evaluates only their rules', async () => {
    const { host, engine, rules } = setup();
    await engine.scan({ rules, variables: new Map() });
    host.collections.length = 0;
    host.write('/etc/b.conf', 'delta\n');
    const rescan = await engine.scan({ rules, variables: new Map() });
    expect(host.collections).toEqual(['/etc/b.conf']);
    expect(rescan.stats).toMatchObject({
      factsCollected: 1,
      factsFromCache: 1,
      rulesEvaluated: 1,
      rulesReused: 2,
    });
    expect(rescan.results.find((r) => r.ruleId === 'b-has-delta')?.status).toBe('pass');
  });

  it('turns invalid specs, unknown types and throwing checks into error results, not a crash', async () => {
    const { engine } = setup();
    const scan = await engine.scan({
      rules: [
        rule('bad-spec', { type: 'has-line', spec: { path: 3 } }),
        rule('unknown-type', { type: 'nope', spec: {} }),
        rule('throws', { type: 'throws', spec: {} }),
      ],
      variables: new Map(),
    });
    const byId = Object.fromEntries(scan.results.map((r) => [r.ruleId, r]));
    expect(byId['bad-spec']).toMatchObject({ status: 'error' });
    expect(byId['bad-spec']?.message).toMatch(/path: .*expected string/i);
    expect(byId['unknown-type']?.message).toMatch(/unknown check type "nope" \(known: has-line, throws\)/);
    expect(byId.throws?.message).toMatch(/boom/);
  });

  it('substitutes variables and marks rules for other platforms notapplicable', async () => {
    const { engine } = setup();
    const scan = await engine.scan({
      rules: [
        rule(
          'var-line',
          { type: 'has-line', spec: { path: '/etc/a.conf', line: { $var: 'wanted' } } },
          { variables: ['wanted'] },
        ),
        rule(
          'ubuntu-only',
          { type: 'has-line', spec: { path: '/etc/a.conf', line: 'alpha' } },
          { applicability: { platforms: ['ubuntu'] } },
        ),
        rule('undeclared', { type: 'has-line', spec: { path: '/etc/a.conf', line: { $var: 'wanted' } } }),
      ],
      variables: new Map([['wanted', 'beta']]),
    });
    expect(scan.results.map((r) => r.status)).toEqual(['pass', 'notapplicable', 'error']);
    expect(scan.results[2]?.message).toMatch(/uses wanted without declaring it/);
  });
});
