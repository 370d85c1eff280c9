/**
 * Parsed SCAP sources cached on disk. Parsing the 11 MB Ubuntu data stream takes 1-3 s, more than
 * the whole evaluation, and the file rarely changes; the parsed model (Maps and plain objects) is
 * stored with the V8 serializer under a key made of the file's identity, size and change times,
 * so any write to the file (or a new model version) misses the cache. A corrupt or unreadable
 * cache entry is ignored and rewritten, never trusted.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, realpath, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { defaultCacheDir } from '../../content/cache-dir.js';
import type { ScapSource } from '../model/datastream.js';
import { MAX_XML_BYTES } from '../xml/xml-tree.js';

/** Bump when the model's shape changes, so caches written by older versions are not read. */
export const SOURCE_MODEL_VERSION = 6;

export interface SourceCacheOptions {
  /** Cache directory; null disables the cache. Default: VOUCH_CACHE_DIR or ~/.cache/vouch. */
  cacheDir?: string | null;
}

/** The XML parser and model builders load only on a cache miss. */
async function parse(path: string): Promise<ScapSource> {
  const { loadScapSource } = await import('./parse-source.js');
  return loadScapSource(path);
}

export async function loadScapSourceCached(
  path: string,
  options: SourceCacheOptions = {},
): Promise<ScapSource> {
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  if (cacheDir === null) return parse(path);
  const stats = await stat(path, { bigint: true });
  // Oversized input gets the parser's own refusal (and is never cached).
  if (stats.size > BigInt(MAX_XML_BYTES)) return parse(path);
  // Identity, size and nanosecond mtime/ctime, as the YAML content cache keys its files: any write
  // to the file changes the key. (Hashing 11 MB cost more than the rest of a cache hit.)
  const identity = [await realpath(path), stats.dev, stats.ino, stats.size, stats.mtimeNs, stats.ctimeNs];
  const hash = createHash('sha256').update(identity.join('\u0000')).digest('hex');
  const file = join(cacheDir, `scap-v${SOURCE_MODEL_VERSION}-${hash}.bin`);
  try {
    const cached = deserialize(await readFile(file)) as ScapSource;
    if (cached && typeof cached === 'object' && cached.components instanceof Map) {
      // The model records where it was read from; the same bytes may live at another path.
      return { ...cached, path };
    }
  } catch {
    // Missing or unreadable: parse and rewrite.
  }
  const source = await parse(path);
  try {
    await mkdir(cacheDir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, serialize(source));
    await rename(temp, file);
  } catch {
    // A read-only cache directory only costs the next run a parse.
  }
  return source;
}
