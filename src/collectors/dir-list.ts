/** `dir-list`: the entries of one directory, sorted by name. */
import type { DirListRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport } from '../targets/transport.js';
import { collect } from './collector.js';

export function collectDirList(
  transport: Transport,
  request: DirListRequest,
): Promise<FactResult<'dir-list'>> {
  return collect(transport, async (sources) => {
    // The directory's own fingerprint changes whenever an entry is added, removed or renamed.
    const stats = await sources.follow(request.path);
    const entries = stats?.type === 'dir' ? await transport.readdir(request.path) : null;
    return {
      status: 'ok',
      value: { path: request.path, exists: entries !== null, entries: entries ?? [] },
    };
  });
}
