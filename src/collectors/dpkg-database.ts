/**
 * `dpkg-status`: every paragraph of dpkg's status database, whatever the package's state. The
 * `packages` fact answers "is it installed and configured"; OVAL's dpkginfo probe asks APT, which
 * also reports unpacked and half-configured packages, so it needs the states themselves.
 */
import type { FactResult } from '../core/facts/fact-result.js';
import type { DpkgStatusEntry } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, MAX_DATABASE_BYTES } from './collector.js';
import { dpkgParagraphs } from './dpkg-status.js';
import { DPKG_STATUS } from './packages.js';
import { readWholeText } from './read-text.js';

/** Paragraphs in file order; a paragraph without `Package:` is not a package and is skipped. */
export function parseDpkgStatusEntries(text: string): DpkgStatusEntry[] {
  const entries: DpkgStatusEntry[] = [];
  for (const fields of dpkgParagraphs(text)) {
    const name = fields.get('package');
    if (!name) continue;
    entries.push({
      name,
      status: fields.get('status') ?? '',
      version: fields.get('version') ?? '',
      arch: fields.get('architecture') ?? '',
    });
  }
  return entries;
}

export function collectDpkgStatus(transport: Transport): Promise<FactResult<'dpkg-status'>> {
  return collect(transport, async (sources) => {
    const read = await readWholeText(sources, DPKG_STATUS, MAX_DATABASE_BYTES);
    if (read.text === undefined) return { status: 'ok', value: { exists: false, entries: [] } };
    return { status: 'ok', value: { exists: true, entries: parseDpkgStatusEntries(read.text) } };
  });
}
