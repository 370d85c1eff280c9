// Node module hooks that let a plain `node` child process run the TypeScript sources, for tests
// that need real worker processes (SIGKILL, several processes on one database). Transpile only
// (no type check), as vitest does; `.js` specifiers with a `.ts` file next to them resolve to it
// (NodeNext-style imports). Output is cached by content hash in the temp dir, and `typescript`
// is only loaded on a cache miss, so later child processes start in well under a second.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CACHE = join(tmpdir(), 'vouch-ts-hooks-cache-v1');
mkdirSync(CACHE, { recursive: true });
let typescript;

export async function resolve(specifier, context, next) {
  const parent = context.parentURL;
  if (parent?.endsWith('.ts') && specifier.startsWith('.') && specifier.endsWith('.js')) {
    const asTs = new URL(specifier.replace(/\.js$/, '.ts'), parent);
    if (!existsSync(fileURLToPath(new URL(specifier, parent))) && existsSync(fileURLToPath(asTs))) {
      return { url: asTs.href, shortCircuit: true };
    }
  }
  return next(specifier, context);
}

async function transpile(file, source) {
  const cached = join(
    CACHE,
    `${createHash('sha256').update(file).update('\0').update(source).digest('hex')}.js`,
  );
  try {
    return await readFile(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  typescript ??= (await import('typescript')).default;
  const { outputText } = typescript.transpileModule(source, {
    fileName: file,
    compilerOptions: {
      module: typescript.ModuleKind.ESNext,
      target: typescript.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
    },
  });
  // Several processes may race here: write aside, then rename (atomic on one file system).
  const temp = `${cached}.${process.pid}.tmp`;
  await writeFile(temp, outputText);
  await rename(temp, cached);
  return outputText;
}

export async function load(url, context, next) {
  if (!url.endsWith('.ts')) return next(url, context);
  const file = fileURLToPath(url);
  return {
    format: 'module',
    source: await transpile(file, await readFile(file, 'utf8')),
    shortCircuit: true,
  };
}
