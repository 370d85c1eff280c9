/** Where Vouch caches parsed content (its own YAML rules, SCAP data streams). */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultCacheDir(): string {
  if (process.env.VOUCH_CACHE_DIR) return process.env.VOUCH_CACHE_DIR;
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'vouch');
}
