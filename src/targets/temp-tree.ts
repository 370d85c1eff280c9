/**
 * Test support: builds a real directory tree in a temporary directory from a compact description,
 * so transport and collector tests exercise the real filesystem rather than mocks.
 */
import { execFileSync } from 'node:child_process';
import { chmod, chown, lchown, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type TreeNode =
  | string
  | Buffer
  | { text: string; mode?: number; uid?: number; gid?: number }
  | { dir: true; mode?: number; uid?: number; gid?: number }
  | { link: string; uid?: number; gid?: number }
  | { fifo: true };

/** Paths are relative to the tree (a leading `/` is allowed); parents are created as needed. */
export type TreeSpec = Record<string, TreeNode>;

export async function makeTree(spec: TreeSpec, into?: string): Promise<string> {
  const root = into ?? (await realpath(await mkdtemp(join(tmpdir(), 'vouch-tree-'))));
  for (const [relative, node] of Object.entries(spec)) {
    const path = join(root, relative.replace(/^\/+/, ''));
    await mkdir(dirname(path), { recursive: true });
    if (typeof node === 'string' || Buffer.isBuffer(node)) {
      await writeFile(path, node);
    } else if ('text' in node) {
      await writeFile(path, node.text);
      if (node.mode !== undefined) await chmod(path, node.mode);
      if (node.uid !== undefined || node.gid !== undefined) await chown(path, node.uid ?? 0, node.gid ?? 0);
    } else if ('dir' in node) {
      await mkdir(path, { recursive: true });
      if (node.mode !== undefined) await chmod(path, node.mode);
      if (node.uid !== undefined || node.gid !== undefined) await chown(path, node.uid ?? 0, node.gid ?? 0);
    } else if ('link' in node) {
      await symlink(node.link, path);
      if (node.uid !== undefined || node.gid !== undefined) await lchown(path, node.uid ?? 0, node.gid ?? 0);
    } else {
      execFileSync('mkfifo', [path]);
    }
  }
  return root;
}

export async function removeTree(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
}

/** chown needs root; tests about foreign owners are skipped otherwise. */
export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
