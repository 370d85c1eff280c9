import { sqliteBackend } from './backends.js';
import { runMaintenanceContract } from './maintenance-contract.js';
import { runQueueContract } from './queue-contract.js';
import { runSchedulerContract } from './scheduler-contract.js';

// Several connections to one file stand in for several server processes (SQLite serialises writers).
runQueueContract('sqlite', sqliteBackend, { workers: 4, jobs: 200 });
runSchedulerContract('sqlite', sqliteBackend, { schedulers: 3 });
runMaintenanceContract('sqlite', sqliteBackend);
