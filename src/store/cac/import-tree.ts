/** ComplianceAsCode rule directories -> store records (being written). */
import { VouchError } from '../../core/errors.js';
import type { ImportedContent } from '../from-datastream.js';

export async function importCacTree(
  dir: string,
  sourceId: string,
  isSensitive: (id: string) => boolean,
): Promise<{ content: ImportedContent; sha256: string }> {
  void sourceId;
  void isSensitive;
  throw new VouchError('NOT_IMPLEMENTED', `${dir}: ComplianceAsCode import is not written yet`);
}
