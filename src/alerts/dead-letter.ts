/**
 * The dead-letter log: one JSON line per event a channel gave up on, with the reason and the last
 * error (secrets masked), so an operator can see what was lost and replay it. Writes are serialised
 * through one promise chain so lines never interleave, and a failing disk only produces a log line.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DriftEvent } from '../core/drift.js';

export type DeadLetterReason = 'exhausted' | 'rejected' | 'queue-full' | 'shutdown' | 'closed';

export interface DeadLetterEntry {
  at: string;
  channel: string;
  channelType: string;
  /** exhausted: every retry failed; rejected: the receiver refused it for good (e.g. HTTP 400). */
  reason: DeadLetterReason;
  attempts: number;
  error: string | null;
  event: DriftEvent;
}

export class DeadLetterLog {
  private chain: Promise<void> = Promise.resolve();
  private dirReady = false;

  constructor(
    private readonly path: string | undefined,
    private readonly log: (message: string) => void,
  ) {}

  write(entry: DeadLetterEntry): void {
    this.log(
      `alert channel ${entry.channel}: gave up on event ${entry.event.id} (${entry.reason}` +
        `${entry.attempts > 0 ? `, ${entry.attempts} attempt(s)` : ''}${entry.error ? `: ${entry.error}` : ''})`,
    );
    const path = this.path;
    if (path === undefined) return;
    const line = `${JSON.stringify(entry)}\n`;
    this.chain = this.chain.then(async () => {
      try {
        if (!this.dirReady) {
          await mkdir(dirname(path), { recursive: true });
          this.dirReady = true;
        }
        await appendFile(path, line, { encoding: 'utf8', mode: 0o600 });
      } catch (error) {
        this.log(`dead-letter log ${path}: ${error instanceof Error ? error.message : String(error)}`);
      }
    });
  }

  /** Resolves once every line written so far is on disk (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }
}
