import type { Kysely } from 'kysely';
import { newId } from '../ids.js';
import type { Database } from '../schema.js';

/** What every repository is built over: a database or a transaction, and the clock. */
export interface RepoContext {
  db: Kysely<Database>;
  /** Injectable so tests get predictable timestamps. */
  clock: () => Date;
}

/** A new row's id and timestamp from ONE clock reading, so the two always agree. */
export function stamp(ctx: RepoContext): { id: string; at: string } {
  const now = ctx.clock();
  return { id: newId(now.getTime()), at: now.toISOString() };
}
