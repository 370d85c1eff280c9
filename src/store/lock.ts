/**
 * One writer at a time: an import holds `<store>/.lock` (created exclusively, holding its pid) from
 * reading the manifest to writing it, so two imports cannot each write a manifest that lacks the
 * other's source. A lock whose process is gone is taken over; a live one is waited for, then refused.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { VouchError } from '../core/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withStoreLock<T>(store: string, work: () => Promise<T>, waitMs = 60_000): Promise<T> {
  await mkdir(store, { recursive: true });
  const path = join(store, '.lock');
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new VouchError('STORE_WRITE', `${path}: ${(error as Error).message}`, { cause: error });
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isFinite(holder) && holder > 0 && !alive(holder)) {
        await rm(path, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new VouchError(
          'STORE_LOCKED',
          `${store}: another import (pid ${Number.isFinite(holder) ? holder : '?'}) is writing this store`,
        );
      }
      await sleep(100);
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
