/**
 * `file-glob`: the regular files of drop-in directories whose base name matches a glob.
 * A file symlinked to /dev/null is kept, with empty text: that is how sysctl.d, modprobe.d and
 * systemd let an administrator mask a vendor file of the same name, and the check needs to see it.
 */
import picomatch from 'picomatch';
import type { FileGlobRequest } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { GlobFile } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, type SourceRecorder } from './collector.js';
import { isDevNullLink, readText } from './read-text.js';

/** Files of `dir` (sorted by name) whose names `matches` accepts, read as text. */
export async function readMatchingFiles(
  sources: SourceRecorder,
  dir: string,
  matches: (name: string) => boolean,
): Promise<GlobFile[]> {
  const dirStats = await sources.follow(dir);
  if (dirStats?.type !== 'dir') return [];
  const entries = (await sources.transport.readdir(dir)) ?? [];
  const files: GlobFile[] = [];
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  for (const entry of entries) {
    if (!matches(entry.name)) continue;
    const path = prefix + entry.name;
    if (entry.type === 'symlink' && (await isDevNullLink(sources, path))) {
      await sources.lstat(path);
      files.push({ path, text: '' });
      continue;
    }
    if (entry.type !== 'file' && entry.type !== 'symlink') continue;
    const read = await readText(sources, path);
    if (read.text !== undefined) files.push({ path, text: read.text });
  }
  return files;
}

export function collectFileGlob(
  transport: Transport,
  request: FileGlobRequest,
): Promise<FactResult<'file-glob'>> {
  return collect(transport, async (sources) => {
    // dot: false: hidden files are not read by the programs that own these directories.
    const isMatch = picomatch(request.pattern, { dot: false });
    const files: GlobFile[] = [];
    for (const dir of request.dirs) files.push(...(await readMatchingFiles(sources, dir, isMatch)));
    return { status: 'ok', value: { files } };
  });
}
