import { describe, expect, it } from 'vitest';
import { BUILTIN_CHECK_TYPES, createBuiltinRegistry } from './index.js';

describe('createBuiltinRegistry', () => {
  it('loads every built-in type under its own id', async () => {
    const registry = createBuiltinRegistry();
    expect(registry.ids()).toEqual(Object.keys(BUILTIN_CHECK_TYPES).sort());
    for (const id of registry.ids()) {
      const type = await registry.load(id);
      expect(type.id).toBe(id);
      expect(type.version).toBeGreaterThanOrEqual(1);
      expect(type.description).toMatch(/\.$/);
    }
  });

  it('rejects unknown fields in every type (strict schemas)', async () => {
    const registry = createBuiltinRegistry();
    for (const id of registry.ids()) {
      const type = await registry.load(id);
      const result = type.spec.safeParse({ surelyNotAField: 1 });
      expect(result.success, id).toBe(false);
    }
  });
});
