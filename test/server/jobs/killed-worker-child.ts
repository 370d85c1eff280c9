/**
 * A worker process the parent test kills with SIGKILL: it claims one `crashy` job, says so on
 * stdout, and hangs in the handler. argv: storage config JSON, lease ms.
 */
import { JobWorker } from '../../../src/server/jobs/index.js';
import { openStorage, type StorageConfig } from '../../../src/server/storage/index.js';

const config = JSON.parse(process.argv[2]!) as StorageConfig;
const leaseMs = Number(process.argv[3]);
const storage = openStorage(config);
const worker = new JobWorker(storage, {
  handlers: {
    crashy: {
      run: ({ job }) => {
        process.stdout.write(`${JSON.stringify({ claimed: job.id, workerId: worker.id })}\n`);
        return new Promise(() => {});
      },
    },
  },
  leaseMs,
});
await worker.tick();
