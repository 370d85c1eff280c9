/**
 * `filesystem-usage`: statvfs block counts of the filesystem holding a path (OVAL partition items
 * report them). Volatile: usage changes without any file signalling it.
 */
import type { FilesystemUsageRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { FilesystemUsageValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect } from './collector.js';

export function collectFilesystemUsage(
  transport: Transport,
  request: FilesystemUsageRequest,
): Promise<FactResult<'filesystem-usage'>> {
  return collect(transport, async () => {
    if (!transport.statfs) {
      return { status: 'unavailable', reason: `filesystem usage cannot be read on ${transport.description}` };
    }
    const stats = await transport.statfs(request.path);
    const value: FilesystemUsageValue = { path: request.path, exists: stats !== null };
    if (stats !== null) {
      value.blockSize = stats.blockSize;
      value.blocks = stats.blocks;
      value.blocksFree = stats.blocksFree;
      value.blocksAvailable = stats.blocksAvailable;
      value.mountOptions = stats.mountOptions;
    }
    return { status: 'ok', value, volatile: true };
  });
}
