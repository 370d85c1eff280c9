/**
 * Contract test: every check type documented in docs/check-types.md is registered, and every spec
 * example in that document is accepted by the type's schema. Rule authors copy those examples.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatSpecIssues } from '../checks/common/schema.js';
import { createBuiltinRegistry } from '../checks/index.js';

const doc = readFileSync(new URL('../../docs/check-types.md', import.meta.url), 'utf8');

const examples = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)]
  .map((m) => parse(m[1] ?? '') as { type?: string; spec?: Record<string, unknown> })
  .filter((example) => typeof example?.type === 'string');

/**
 * The config-value and package examples show every field at once, including fields that only apply
 * to another format or state ("keyvalue only", "installed only"); the schemas reject those
 * combinations on purpose, so the example is checked with them set aside.
 */
const ILLUSTRATIVE_ONLY: Record<string, string[]> = {
  'config-value': ['separator', 'section', 'dropins'],
  package: ['version'],
};

describe('docs/check-types.md', () => {
  const registry = createBuiltinRegistry();
  const documented = [...doc.matchAll(/^\| `([a-z-]+)`(?: \/ `([a-z-]+)` \/ `([a-z-]+)`)?\s+\|/gm)].flatMap(
    (m) => [m[1], m[2], m[3]].filter((id): id is string => id !== undefined),
  );

  it('documents exactly the registered check types', () => {
    expect(documented.sort()).toEqual(registry.ids());
  });

  it('has an example for most types', () => {
    expect(examples.length).toBeGreaterThanOrEqual(12);
  });

  for (const example of examples) {
    it(`accepts the ${example.type} example`, async () => {
      const type = await registry.load(example.type as string);
      const spec = { ...(example.spec ?? {}) };
      for (const field of ILLUSTRATIVE_ONLY[type.id] ?? []) delete spec[field];
      const parsed = type.spec.safeParse(spec);
      expect(parsed.success, parsed.success ? '' : formatSpecIssues(parsed.error)).toBe(true);
    });
  }
});
