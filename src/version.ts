/** Vouch's version, from package.json (one place, cheap to import). */
import { readFileSync } from 'node:fs';

export const TOOL_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
