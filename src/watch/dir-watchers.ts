/**
 * The set of live directory watches (node's fs.watch, inotify on Linux), kept in line with the
 * current plan. A directory that was deleted and recreated is a new inode the old watch no longer
 * sees, so each watch remembers the identity (dev:ino) it was opened on and is reopened when it differs.
 */
import { type FSWatcher, watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { WatchedDir } from './watch-plan.js';

export type RawListener = (dir: WatchedDir, type: string, name: string | null, at: number) => void;

interface LiveWatch {
  dir: WatchedDir;
  identity: string;
  watcher: FSWatcher;
}

async function identityOf(hostPath: string): Promise<string | null> {
  try {
    const stats = await stat(hostPath, { bigint: true });
    return stats.isDirectory() ? `${stats.dev}:${stats.ino}` : null;
  } catch {
    return null;
  }
}

export class DirWatchers {
  readonly #live = new Map<string, LiveWatch>();
  readonly #onEvent: RawListener;
  readonly #onWarning: (message: string) => void;

  constructor(onEvent: RawListener, onWarning: (message: string) => void) {
    this.#onEvent = onEvent;
    this.#onWarning = onWarning;
  }

  get size(): number {
    return this.#live.size;
  }

  /** Makes the live watches match `plan`; returns how many watches were opened. */
  async apply(plan: ReadonlyMap<string, WatchedDir>): Promise<number> {
    for (const [hostPath, live] of this.#live) {
      if (!plan.has(hostPath)) this.#close(hostPath, live);
    }
    let opened = 0;
    await Promise.all(
      [...plan].map(async ([hostPath, dir]) => {
        const identity = await identityOf(hostPath);
        const live = this.#live.get(hostPath);
        if (live && live.identity === identity) {
          // Same directory: only what its events mean may have changed.
          live.dir = dir;
          return;
        }
        if (live) this.#close(hostPath, live);
        if (identity === null) return; // vanished since planning; the next plan watches an ancestor
        if (this.#open(hostPath, dir, identity)) opened++;
      }),
    );
    return opened;
  }

  #open(hostPath: string, dir: WatchedDir, identity: string): boolean {
    try {
      const watcher = watch(hostPath, { persistent: true }, (type, name) => {
        const live = this.#live.get(hostPath);
        if (live?.watcher === watcher)
          this.#onEvent(live.dir, type, name === null ? null : String(name), Date.now());
      });
      watcher.on('error', (error) => {
        // E.g. the directory was removed under the watch: report it as a self event so the plan is redone.
        this.#onWarning(`watch of ${dir.targetPath} failed: ${error.message}`);
        const live = this.#live.get(hostPath);
        if (live?.watcher === watcher) {
          this.#close(hostPath, live);
          this.#onEvent(dir, 'rename', null, Date.now());
        }
      });
      this.#live.set(hostPath, { dir, identity, watcher });
      return true;
    } catch (error) {
      // ENOSPC (inotify watch limit) or EACCES: this directory falls back to the poll sweep.
      this.#onWarning(
        `cannot watch ${dir.targetPath}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}; relying on the poll sweep`,
      );
      return false;
    }
  }

  #close(hostPath: string, live: LiveWatch): void {
    live.watcher.close();
    this.#live.delete(hostPath);
  }

  close(): void {
    for (const [hostPath, live] of this.#live) this.#close(hostPath, live);
  }
}
