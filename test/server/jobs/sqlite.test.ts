import { sqliteBackend } from './backends.js';
import { runQueueContract } from './queue-contract.js';

// Four connections to one file stand in for four server processes (SQLite serialises writers).
runQueueContract('sqlite', sqliteBackend, { workers: 4, jobs: 200 });
