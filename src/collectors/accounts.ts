/**
 * `passwd`, `shadow`, `group`: the local account files. A missing file is an empty list (a minimal
 * image may have no /etc/shadow); an unreadable or oversized one is an error.
 */
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport } from '../targets/transport.js';
import { parseGroup, parsePasswd, parseShadow } from './account-files.js';
import { collect, MAX_DATABASE_BYTES } from './collector.js';
import { readWholeText } from './read-text.js';

export const PASSWD_PATH = '/etc/passwd';
export const SHADOW_PATH = '/etc/shadow';
export const GROUP_PATH = '/etc/group';

export function collectPasswd(transport: Transport): Promise<FactResult<'passwd'>> {
  return collect(transport, async (sources) => {
    const read = await readWholeText(sources, PASSWD_PATH, MAX_DATABASE_BYTES);
    return { status: 'ok', value: { path: PASSWD_PATH, entries: parsePasswd(read.text ?? '') } };
  });
}

export function collectShadow(transport: Transport): Promise<FactResult<'shadow'>> {
  return collect(transport, async (sources) => {
    const read = await readWholeText(sources, SHADOW_PATH, MAX_DATABASE_BYTES);
    return { status: 'ok', value: { path: SHADOW_PATH, entries: parseShadow(read.text ?? '') } };
  });
}

export function collectGroup(transport: Transport): Promise<FactResult<'group'>> {
  return collect(transport, async (sources) => {
    const read = await readWholeText(sources, GROUP_PATH, MAX_DATABASE_BYTES);
    return { status: 'ok', value: { path: GROUP_PATH, entries: parseGroup(read.text ?? '') } };
  });
}
