/**
 * Key files in the data directory: the zero-setup fallback when no key comes from the
 * environment. Created on first start with mode 0600 (readable by the server's user only).
 *
 * Creation is atomic: the key is written to a private temporary file and then hard-linked to its
 * final name. link() fails if the name exists, so when several `vouch serve` processes start at
 * once on the same data directory exactly one key wins and every process reads that one; nobody
 * ever reads a half-written file.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export class KeyFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'KeyFileError';
  }
}

export interface KeyFile {
  key: Buffer;
  file: string;
  /** True when this call generated the key (first start). */
  created: boolean;
}

/**
 * Read `<dataDir>/<name>` (base64 of `bytes` random bytes), creating it if absent. A file that
 * group or others can read is refused, like ssh refuses an open private key: a key everyone on
 * the host can read protects nothing.
 */
export async function loadOrCreateKeyFile(dataDir: string, name: string, bytes: number): Promise<KeyFile> {
  const file = join(dataDir, name);
  const existing = await readKeyFile(file, bytes);
  if (existing) return { key: existing, file, created: false };

  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = join(dataDir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const key = randomBytes(bytes);
  const handle = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
  try {
    await handle.writeFile(`${key.toString('base64')}\n`, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  // The umask may have narrowed the mode further; it can never have widened it, but be explicit.
  await chmod(tmp, 0o600);
  try {
    await link(tmp, file);
    return { key, file, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process created it between our read and our link: theirs is the key.
    const theirs = await readKeyFile(file, bytes);
    if (!theirs) throw new KeyFileError(file, 'vanished while being created');
    return { key: theirs, file, created: false };
  } finally {
    await unlink(tmp).catch(() => {});
  }
}

async function readKeyFile(file: string, bytes: number): Promise<Buffer | undefined> {
  let text: string;
  try {
    const info = await stat(file);
    if ((info.mode & 0o077) !== 0) {
      throw new KeyFileError(
        file,
        `permissions ${(info.mode & 0o777).toString(8)} are too open (group/others can read it); run chmod 600`,
      );
    }
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return decodeKey(text.trim(), bytes, (message) => new KeyFileError(file, message));
}

/** A base64 key of exactly `bytes` bytes, or the error `fail` makes (naming where it came from). */
export function decodeKey(text: string, bytes: number, fail: (message: string) => Error): Buffer {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) throw fail('is not base64');
  const key = Buffer.from(text, 'base64');
  if (key.length !== bytes) throw fail(`must decode to ${bytes} bytes, got ${key.length}`);
  return key;
}
