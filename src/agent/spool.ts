/**
 * The result spool: `<state-dir>/spool/<key>.json`, one finished result each. A result is written
 * (fsync'd, atomic rename) BEFORE it is sent and deleted only when the server acks it, which the
 * server does only after its transaction committed. A server that is down, restarts or is killed
 * mid-upload therefore gets every result once it is reachable again: the agent resends the whole
 * spool at every connect, and the server's idempotency (one completion per scan) makes the
 * duplicates that resending can produce harmless.
 */
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileDurably } from './files.js';
import type { ResultMessage } from './protocol.js';

const SAFE_KEY = /^[A-Za-z0-9_.-]{1,200}$/;

export class Spool {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    // Keys come from this agent (resultKey), but never let one name a path outside the spool.
    if (!SAFE_KEY.test(key) || key.startsWith('.')) throw new Error(`unsafe spool key "${key}"`);
    return join(this.dir, `${key}.json`);
  }

  async put(message: ResultMessage): Promise<void> {
    await writeFileDurably(this.path(message.idempotencyKey), JSON.stringify(message), 0o600);
  }

  async has(key: string): Promise<boolean> {
    return (await this.keys()).includes(key);
  }

  async get(key: string): Promise<ResultMessage | undefined> {
    try {
      return JSON.parse(await readFile(this.path(key), 'utf8')) as ResultMessage;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    await unlink(this.path(key)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }

  /** Oldest first by name is good enough: keys are per scan and all get resent anyway. */
  async keys(): Promise<string[]> {
    const names = await readdir(this.dir);
    return names
      .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
  }
}
