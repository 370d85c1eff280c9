/**
 * `os-release`: /etc/os-release, falling back to /usr/lib/os-release (os-release(5)).
 */
import type { FactResult } from '../core/facts/fact-result.js';
import type { OsReleaseValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect } from './collector.js';
import { readText } from './read-text.js';

export const OS_RELEASE_PATHS = ['/etc/os-release', '/usr/lib/os-release'];

/** Shell-style assignments: quotes stripped, backslash escapes inside double quotes undone. */
export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (!match?.[1] || match[2] === undefined) continue;
    let value = match[2];
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1).replace(/\\([$"\\`])/g, '$1');
    } else if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
      value = value.slice(1, -1);
    }
    fields[match[1]] = value;
  }
  return fields;
}

/** The value, with os-release(5)'s defaults for absent fields (ID=linux, PRETTY_NAME=Linux). */
export function osReleaseValue(fields: Record<string, string>): OsReleaseValue {
  return {
    id: fields.ID || 'linux',
    versionId: fields.VERSION_ID ?? '',
    idLike: (fields.ID_LIKE ?? '').split(/\s+/).filter((id) => id !== ''),
    prettyName: fields.PRETTY_NAME || 'Linux',
    fields,
  };
}

export function collectOsRelease(transport: Transport): Promise<FactResult<'os-release'>> {
  return collect(transport, async (sources) => {
    for (const path of OS_RELEASE_PATHS) {
      const read = await readText(sources, path);
      if (read.text !== undefined) return { status: 'ok', value: osReleaseValue(parseOsRelease(read.text)) };
    }
    return { status: 'ok', value: osReleaseValue({}) };
  });
}
