/**
 * Reading one file as text, recording it (and a symlink's target) as a source.
 */
import { posix } from 'node:path';
import type { FileType } from '../core/facts/fact-values.js';
import { MAX_TEXT_BYTES, type SourceRecorder } from './collector.js';

export interface TextRead {
  exists: boolean;
  /** Type after following symlinks; absent when missing. */
  type?: FileType;
  /** Set for regular files only. */
  text?: string;
  truncated?: boolean;
}

/** Decodes UTF-8 leniently (invalid bytes become U+FFFD) and drops a byte-order mark. */
const decoder = new TextDecoder('utf-8');

export function decodeText(data: Buffer): string {
  return decoder.decode(data);
}

export async function readText(
  sources: SourceRecorder,
  path: string,
  maxBytes = MAX_TEXT_BYTES,
): Promise<TextRead> {
  const stats = await sources.follow(path);
  if (stats === null) return { exists: false };
  if (stats.type !== 'file') return { exists: true, type: stats.type };
  const content = await sources.transport.readFile(path, maxBytes);
  if (content === null) return { exists: false }; // removed between stat and read
  const read: TextRead = { exists: true, type: 'file', text: decodeText(content.data) };
  if (content.truncated) read.truncated = true;
  return read;
}

/**
 * Reads a file that is only meaningful whole (account files, package databases): a truncated
 * passwd would silently drop accounts, so exceeding the limit is an error.
 */
export async function readWholeText(
  sources: SourceRecorder,
  path: string,
  maxBytes: number,
): Promise<TextRead> {
  const read = await readText(sources, path, maxBytes);
  if (read.truncated) throw new Error(`${path} is larger than ${maxBytes} bytes; refusing a partial read`);
  if (read.exists && read.type !== 'file') throw new Error(`${path} is not a regular file (${read.type})`);
  return read;
}

/** True when `path` is a symlink to /dev/null: systemd and drop-in directories treat it as masking. */
export async function isDevNullLink(sources: SourceRecorder, path: string): Promise<boolean> {
  const target = await sources.transport.readlink(path);
  return target !== null && posix.normalize(target) === '/dev/null';
}
