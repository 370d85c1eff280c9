/** `file-text`: one file's text, up to 4 MiB. */
import type { FileTextRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { FileTextValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect } from './collector.js';
import { readText } from './read-text.js';

export function collectFileText(
  transport: Transport,
  request: FileTextRequest,
): Promise<FactResult<'file-text'>> {
  return collect(transport, async (sources) => {
    const read = await readText(sources, request.path);
    const value: FileTextValue = { path: request.path, exists: read.exists };
    if (read.text !== undefined) value.text = read.text;
    if (read.truncated) value.truncated = true;
    return { status: 'ok', value };
  });
}
