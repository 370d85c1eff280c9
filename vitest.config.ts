import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Run alone by vitest.differential.config.ts (after this suite, see scripts/test-all.sh).
    exclude: ['**/node_modules/**', 'test/scap/differential/**'],
    // Fixture-based integration tests share one built root filesystem; keep runs deterministic.
    testTimeout: 60_000,
    // Keep the content cache of test runs (and the CLIs they spawn) out of the user's home.
    env: { VOUCH_CACHE_DIR: join(tmpdir(), 'vouch-test-cache') },
    // scripts/test-all.sh asks for a JSON report to print the plain "N passed, N failed" closing line.
    ...(process.env.VOUCH_TEST_REPORT
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.VOUCH_TEST_REPORT } }
      : {}),
    hookTimeout: 600_000,
  },
});
