/** Vouch's own version, for CEF headers and user agents; read once from package.json. */
import { readFileSync } from 'node:fs';

export const VOUCH_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
