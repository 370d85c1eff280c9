/**
 * A cache of validated content. Parsing and validating ~300 YAML files costs most of a second in a
 * cold process; reading one JSON file costs a few milliseconds. The key covers every content file's
 * path, size and mtime, the tool version and every check type's id and version, so any edit to a
 * rule or a check schema version misses the cache.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { CheckTypeRegistry } from '../core/checks/registry.js';
import type { Profile } from '../core/rules/profile.js';
import type { Rule } from '../core/rules/rule.js';
import type { VariableDefinition } from '../core/rules/variables.js';
import { defaultCacheDir } from './cache-dir.js';
import { type Content, listYamlFiles, loadContent } from './loader.js';

export { defaultCacheDir } from './cache-dir.js';

interface CachedContent {
  rules: Rule[];
  profiles: [string, Profile][];
  variables: [string, VariableDefinition][];
}

async function cacheKey(dir: string, registry: CheckTypeRegistry, toolVersion: string): Promise<string> {
  const files = await listYamlFiles(dir);
  const stats = await Promise.all(files.map((file) => stat(file)));
  const types = await Promise.all(
    registry.ids().map(async (id) => `${id}@${(await registry.load(id)).version}`),
  );
  const hash = createHash('sha256');
  hash.update(JSON.stringify([toolVersion, dir, types]));
  files.forEach((file, i) => {
    hash.update(`\n${relative(dir, file)}:${stats[i]?.size}:${stats[i]?.mtimeMs}`);
  });
  return hash.digest('hex').slice(0, 32);
}

export interface CachedLoadOptions {
  registry: CheckTypeRegistry;
  toolVersion: string;
  /** null disables the cache. */
  cacheDir?: string | null;
}

export async function loadContentCached(dir: string, options: CachedLoadOptions): Promise<Content> {
  const cacheDir = options.cacheDir === undefined ? defaultCacheDir() : options.cacheDir;
  if (cacheDir === null) return loadContent(dir, { registry: options.registry });

  const key = await cacheKey(dir, options.registry, options.toolVersion);
  const file = join(cacheDir, `content-${key}.json`);
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as CachedContent;
    return {
      dir,
      rules: cached.rules,
      profiles: new Map(cached.profiles),
      variables: new Map(cached.variables),
    };
  } catch {
    // A miss, or an unreadable/corrupt entry: load from source and rewrite it.
  }

  const content = await loadContent(dir, { registry: options.registry });
  const entry: CachedContent = {
    rules: content.rules,
    profiles: [...content.profiles],
    variables: [...content.variables],
  };
  try {
    await mkdir(cacheDir, { recursive: true });
    // Write then rename, so a concurrent reader never sees half a file.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(entry));
    await rename(temporary, file);
  } catch {
    // A read-only home must not fail a scan: the cache is an optimisation only.
  }
  return content;
}
