/**
 * One of several worker processes draining `count` jobs from a shared database. Prints "ready"
 * once connected, waits for "go" on stdin (so all processes start claiming together), drains,
 * then prints the ids of the jobs it ran as one JSON line. argv: storage config JSON.
 */
import { JobWorker } from '../../../src/server/jobs/index.js';
import { openStorage, type StorageConfig } from '../../../src/server/storage/index.js';

const storage = openStorage(JSON.parse(process.argv[2]!) as StorageConfig);
const ran: string[] = [];
const worker = new JobWorker(storage, {
  concurrency: 4,
  handlers: {
    count: {
      run: async ({ job }) => {
        ran.push(job.id);
        // Yield so the processes' claims interleave.
        await new Promise((resolve) => setImmediate(resolve));
      },
    },
  },
});
await storage.db.selectFrom('jobs').select('id').limit(1).execute();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
await worker.drain();
process.stdout.write(`${JSON.stringify(ran)}\n`);
await storage.close();
process.exit(0);
