import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStorage } from '../../../src/server/storage/index.js';
import { runStorageContract } from './contract.js';

runStorageContract('sqlite', async (options) => {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-storage-'));
  // A nested path also checks that the data directory is created on first open.
  const storage = openStorage({ kind: 'sqlite', file: join(dir, 'data', 'vouch.db') }, options);
  return {
    storage,
    dispose: async () => {
      await storage.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
