/**
 * `vouch content import`: a SCAP source data stream (kept verbatim, content-addressed by sha256) or
 * a tree of ComplianceAsCode rule directories -> the store's JSON indexes, the manifest entry, and
 * on re-import of the same source id a diff against what the store held.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { VouchError } from '../core/errors.js';
import { loadScapSourceCached } from '../scap/datastream/source-cache.js';
import { importCacTree } from './cac/import-tree.js';
import { diffImports, type Snapshot } from './diff.js';
import { readJson, resolveStoreDir, sha256, storePaths, writeFileAtomic, writeJsonAtomic } from './files.js';
import { contentOfSource, type ImportedContent } from './from-datastream.js';
import { withStoreLock } from './lock.js';
import { readManifest, readSensitiveMarks } from './rule-store.js';
import type {
  ImportResult,
  SourceKind,
  StoredFix,
  StoredProfile,
  StoredRule,
  StoredSource,
  StoredVariable,
} from './types.js';

export interface ImportOptions {
  /** Store directory (see resolveStoreDir). */
  store?: string;
  /** Value ids or short names to mark sensitive; the marks persist in the store. */
  sensitive?: string[];
  /** Source id to use instead of the one derived from the file or directory name. */
  sourceId?: string;
  /** Clock, for tests. */
  now?: () => Date;
}

const SOURCE_ID = /^[a-z0-9][a-z0-9._-]*$/;

/** `ssg-ubuntu2204-ds.xml` and `ssg-ubuntu2204-ds-1.2.xml` -> `ssg-ubuntu2204`; a directory -> its name. */
export function deriveSourceId(path: string): string {
  const name = basename(resolve(path))
    .toLowerCase()
    .replace(/\.xml$/, '')
    .replace(/-ds(-\d+(\.\d+)*)?$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+/, '');
  return name || 'source';
}

async function kindOf(path: string): Promise<SourceKind> {
  try {
    return (await stat(path)).isDirectory() ? 'cac' : 'datastream';
  } catch (error) {
    throw new VouchError(
      'CONTENT_NOT_FOUND',
      `${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

async function readDatastream(
  path: string,
  sourceId: string,
  isSensitive: (id: string) => boolean,
): Promise<{ bytes: Buffer; content: ImportedContent }> {
  const source = await loadScapSourceCached(path);
  if (source.kind !== 'data-stream-collection') {
    // The store hands data streams to oscap and to generation; a lone XCCDF file lacks its OVAL.
    throw new VouchError(
      'NOT_A_DATASTREAM',
      `${path}: a standalone ${source.kind.toUpperCase()} document, not a SCAP source data stream; import the *-ds.xml file (or compose one with oscap ds sds-compose)`,
    );
  }
  const bytes = await readFile(path);
  return { bytes, content: contentOfSource(source, sourceId, isSensitive) };
}

function withFixes(rules: StoredRule[], fixes: Record<string, StoredFix[]>): StoredRule[] {
  return rules.map((r) => ({ ...r, fixes: fixes[r.id] ?? [] }));
}

async function previousSnapshot(
  store: string,
  entry: StoredSource | undefined,
): Promise<Snapshot | undefined> {
  if (!entry) return undefined;
  return {
    version: entry.version,
    sha256: entry.sha256,
    rules: withFixes(
      await readJson<StoredRule[]>(storePaths.rules(store, entry.id), []),
      await readJson<Record<string, StoredFix[]>>(storePaths.fixes(store, entry.id), {}),
    ),
    variables: await readJson<StoredVariable[]>(storePaths.variables(store, entry.id), []),
    profiles: await readJson<StoredProfile[]>(storePaths.profiles(store, entry.id), []),
  };
}

export async function importIntoStore(path: string, options: ImportOptions = {}): Promise<ImportResult> {
  const store = resolveStoreDir(options.store);
  const origin = resolve(path);
  const kind = await kindOf(origin);
  const sourceId = options.sourceId ?? deriveSourceId(origin);
  if (!SOURCE_ID.test(sourceId)) {
    throw new VouchError(
      'BAD_SOURCE_ID',
      `--id ${sourceId}: use lower-case letters, digits, '.', '_' and '-'`,
    );
  }
  return withStoreLock(store, () => importLocked(store, origin, kind, sourceId, path, options));
}

async function importLocked(
  store: string,
  origin: string,
  kind: SourceKind,
  sourceId: string,
  path: string,
  options: ImportOptions,
): Promise<ImportResult> {
  const manifest = await readManifest(store);
  const marks = new Set([...(await readSensitiveMarks(store)), ...(options.sensitive ?? [])]);
  const isSensitive = (id: string) => marks.has(id);

  let bytes: Buffer | undefined;
  let content: ImportedContent;
  let digest: string;
  if (kind === 'datastream') {
    const read = await readDatastream(origin, sourceId, isSensitive);
    bytes = read.bytes;
    content = read.content;
    digest = sha256(bytes);
  } else {
    const tree = await importCacTree(origin, sourceId, isSensitive);
    content = tree.content;
    digest = tree.sha256;
  }

  // A mark that names nothing is most likely a typo, and a typo would leave a secret unmasked.
  const known = new Set(content.variables.flatMap((v) => [v.id, v.name]));
  for (const s of manifest.sources) {
    for (const v of await readJson<StoredVariable[]>(storePaths.variables(store, s.id), [])) {
      known.add(v.id);
      known.add(v.name);
    }
  }
  for (const mark of options.sensitive ?? []) {
    if (!known.has(mark)) {
      throw new VouchError(
        'UNKNOWN_VARIABLE',
        `--sensitive ${mark}: no variable of that id or name in ${path} or the store`,
      );
    }
  }

  const previous = manifest.sources.find((s) => s.id === sourceId);
  const before = await previousSnapshot(store, previous);
  const entry: StoredSource = {
    id: sourceId,
    kind,
    origin,
    sha256: digest,
    benchmarkIds: content.benchmarkIds,
    version: content.version,
    title: content.title,
    importedAt: (options.now?.() ?? new Date()).toISOString(),
    counts: {
      rules: content.rules.length,
      variables: content.variables.length,
      profiles: content.profiles.length,
    },
  };
  const after: Snapshot = {
    version: entry.version,
    sha256: digest,
    rules: content.rules,
    variables: content.variables,
    profiles: content.profiles,
  };
  const diff = before ? diffImports(sourceId, before, after) : undefined;

  if (bytes) await writeFileAtomic(storePaths.datastream(store, digest), bytes);
  await writeJsonAtomic(
    storePaths.fixes(store, sourceId),
    Object.fromEntries(content.rules.filter((r) => r.fixes.length > 0).map((r) => [r.id, r.fixes])),
  );
  await writeJsonAtomic(
    storePaths.rules(store, sourceId),
    content.rules.map(({ fixes: _fixes, ...rest }) => rest),
  );
  await writeJsonAtomic(storePaths.variables(store, sourceId), content.variables);
  await writeJsonAtomic(storePaths.profiles(store, sourceId), content.profiles);
  await writeJsonAtomic(storePaths.sensitive(store), { marks: [...marks].sort() });
  const sources = [...manifest.sources.filter((s) => s.id !== sourceId), entry].sort((a, b) =>
    a.id.localeCompare(b.id),
  );
  await writeJsonAtomic(storePaths.manifest(store), { format: manifest.format, sources });

  // The previous version's data stream goes once no source points at it any more.
  if (previous && previous.kind === 'datastream' && previous.sha256 !== digest) {
    if (!sources.some((s) => s.kind === 'datastream' && s.sha256 === previous.sha256)) {
      await rm(storePaths.datastream(store, previous.sha256), { force: true });
    }
  }
  return { source: entry, diff, unchanged: previous?.sha256 === digest, warnings: content.warnings };
}
