/**
 * Where the store lives and how it writes. Every file is written to a temporary name beside its
 * target and renamed over it, so a reader (or a crash) never sees half a file; the manifest is
 * written last, so a source is listed only once its data stream and indexes are in place.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { VouchError } from '../core/errors.js';

/** `--store DIR`, else VOUCH_STORE, else `${XDG_DATA_HOME:-~/.local/share}/vouch/store`. */
export function resolveStoreDir(dir?: string): string {
  if (dir) return resolve(dir);
  if (process.env.VOUCH_STORE) return resolve(process.env.VOUCH_STORE);
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'vouch', 'store');
}

export const storePaths = {
  manifest: (store: string) => join(store, 'manifest.json'),
  sensitive: (store: string) => join(store, 'sensitive.json'),
  datastream: (store: string, sha256: string) => join(store, 'datastreams', `${sha256}.xml`),
  sourceDir: (store: string, sourceId: string) => join(store, 'sources', sourceId),
  rules: (store: string, sourceId: string) => join(store, 'sources', sourceId, 'rules.json'),
  /** Fixes are two thirds of the rule data and list/search never needs them: a file of their own. */
  fixes: (store: string, sourceId: string) => join(store, 'sources', sourceId, 'fixes.json'),
  variables: (store: string, sourceId: string) => join(store, 'sources', sourceId, 'variables.json'),
  profiles: (store: string, sourceId: string) => join(store, 'sources', sourceId, 'profiles.json'),
};

let counter = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  counter += 1;
  const temp = `${path}.${process.pid}.${counter}.tmp`;
  try {
    await writeFile(temp, data);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw new VouchError('STORE_WRITE', `${path}: ${(error as Error).message}`, { cause: error });
  }
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value)}\n`);
}

/** Parsed JSON, or `missing` when the file does not exist; a corrupt file is a VouchError naming it. */
export async function readJson<T>(path: string, missing: T): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing;
    throw new VouchError('STORE_READ', `${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new VouchError('STORE_CORRUPT', `${path}: not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
