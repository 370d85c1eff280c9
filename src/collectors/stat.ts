/**
 * `stat`: lstat of a path, or stat through symlinks when `follow`.
 * Cacheable: the fingerprint includes ctime, which chmod and chown update, so a cached mode or owner
 * is revalidated by the same lstat that collecting it would cost.
 */
import type { StatRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { StatValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect } from './collector.js';

export function collectStat(transport: Transport, request: StatRequest): Promise<FactResult<'stat'>> {
  return collect(transport, async (sources) => {
    const path = request.path;
    const stats = request.follow ? await sources.follow(path) : await sources.lstat(path);
    if (stats === null) return { status: 'ok', value: { path, exists: false } };
    const value: StatValue = {
      path,
      exists: true,
      type: stats.type,
      mode: stats.mode,
      uid: stats.uid,
      gid: stats.gid,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      ...(stats.atimeMs !== undefined ? { atimeMs: stats.atimeMs } : {}),
      ...(stats.ctimeMs !== undefined ? { ctimeMs: stats.ctimeMs } : {}),
    };
    if (stats.type === 'symlink') {
      const target = await transport.readlink(path);
      if (target !== null) value.linkTarget = target;
    }
    return { status: 'ok', value };
  });
}
