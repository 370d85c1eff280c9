/**
 * Every built-in check type, on the documented example spec, against hosts with nothing on them,
 * with every fact broken, and with every fact unavailable: evaluate never throws, broken facts give
 * `error`, unknowable facts give `notchecked`, and messages stay one sentence.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createBuiltinRegistry } from '../checks/index.js';
import type { FactKind } from '../core/facts/fact-request.js';
import { TARGET_KINDS } from '../core/target-kind.js';
import { CheckTester } from './check-tester.js';
import type { FakeFactResult } from './fake-host.js';

const doc = readFileSync(new URL('../../docs/check-types.md', import.meta.url), 'utf8');
const DROP: Record<string, string[]> = {
  'config-value': ['separator', 'section', 'dropins'],
  package: ['version'],
};
const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => parse(m[1] ?? '') as { type?: string; spec?: Record<string, unknown> })
  .filter((e) => typeof e?.type === 'string')
  .map((e) => {
    const spec = { ...(e.spec ?? {}) };
    for (const field of DROP[e.type as string] ?? []) delete spec[field];
    return { type: e.type as string, spec };
  });

const KINDS: FactKind[] = [
  'file-text',
  'file-tree',
  'stat',
  'dir-list',
  'file-glob',
  'config-tree',
  'walk',
  'packages',
  'sysctl-runtime',
  'systemd-unit',
  'loaded-modules',
  'mounts',
  'passwd',
  'shadow',
  'group',
  'os-release',
  'command',
];
const all = (result: FakeFactResult) => Object.fromEntries(KINDS.map((kind) => [kind, result]));

const registry = createBuiltinRegistry();
const tester = new CheckTester({ registry });

describe.each(examples)('$type example', ({ type, spec }) => {
  const commands = Array.isArray(spec.argv) ? [{ argv: spec.argv as string[], exitCode: 0 }] : [];

  it.each([...TARGET_KINDS])('evaluates on an empty %s target', async (targetKind) => {
    const check = await registry.load(type);
    const result = await tester.evaluate(check, spec, { targetKind, facts: { commands } });
    expect(result.message).toMatch(/[^.]\.$/);
    expect(['pass', 'fail', 'notapplicable', 'notchecked', 'informational']).toContain(result.status);
  });

  it('reports broken facts as error', async () => {
    const check = await registry.load(type);
    const result = await tester.evaluate(check, spec, {
      targetKind: 'local',
      facts: { results: all({ status: 'error', message: 'disk on fire' }) },
    });
    expect(result.status, result.message).toBe('error');
    expect(result.message).toMatch(/disk on fire\.$|could not be decided/);
  });

  it('reports unknowable facts as notchecked', async () => {
    const check = await registry.load(type);
    const result = await tester.evaluate(check, spec, {
      targetKind: 'local',
      facts: { results: all({ status: 'unavailable', reason: 'not collected here' }) },
    });
    expect(result.status, result.message).toBe('notchecked');
  });
});
