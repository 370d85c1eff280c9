/**
 * The trend series of a target for the HTTP API. The figures come from the storage layer's
 * dashboard repository (one set of queries for SQLite and PostgreSQL, ADR 0004); `now` is accepted
 * for the route's signature, the repository uses the storage clock (the same clock in `vouch serve`).
 */
import type { Storage } from '../storage/index.js';

export async function trend(storage: Storage, targetId: string, _now: Date, days: number) {
  return storage.dashboard.trend(targetId, { days });
}
