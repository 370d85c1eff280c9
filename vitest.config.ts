import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Fixture-based integration tests share one built root filesystem; keep runs deterministic.
    testTimeout: 60_000,
    hookTimeout: 600_000,
  },
});
