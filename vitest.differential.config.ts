/**
 * The SCAP differential suite (Vouch vs real oscap on the live machine and the fixtures) runs on its
 * own, after the main suite (scripts/test-all.sh): it compares whole-filesystem rules (world-writable
 * files, sticky bits), which other tests' temporary files would otherwise flip between the two runs.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/scap/differential/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 600_000,
    env: { VOUCH_CACHE_DIR: join(tmpdir(), 'vouch-test-cache') },
    ...(process.env.VOUCH_TEST_REPORT
      ? { reporters: ['default', 'json'], outputFile: { json: process.env.VOUCH_TEST_REPORT } }
      : {}),
  },
});
