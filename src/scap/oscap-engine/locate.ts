/**
 * Finding the programs `--engine oscap` runs. oscap is not a dependency of Vouch: when it is
 * missing the scan stops with one line naming the Debian package that provides it.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { VouchError } from '../../core/errors.js';

/** Environment variable naming the oscap executable (default: `oscap` on PATH). */
export const OSCAP_ENV = 'VOUCH_OSCAP';

/** Debian packages providing each program, for the error message. */
const PACKAGES: Record<string, string> = {
  oscap: 'openscap-scanner',
  unshare: 'util-linux',
  mount: 'mount',
};

async function executable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** An executable named `name` on `PATH` (as execvp would find it), or undefined. */
export async function onPath(name: string, path = process.env.PATH ?? ''): Promise<string | undefined> {
  for (const dir of path.split(delimiter)) {
    if (dir && (await executable(join(dir, name)))) return join(dir, name);
  }
  return undefined;
}

/** What is needed but absent: one line with the package to install. */
export function missingProgram(name: string, where: string, purpose: string): VouchError {
  const pkg = PACKAGES[name] ?? name;
  return new VouchError(
    'OSCAP_NOT_FOUND',
    `${name} not found (${where}): ${purpose} needs it; install the Debian package ${pkg} (apt-get install ${pkg})`,
  );
}

/** The local oscap: `$VOUCH_OSCAP` when set (it must exist), else `oscap` on PATH. */
export async function locateOscap(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const explicit = env[OSCAP_ENV];
  if (explicit) {
    if (await executable(explicit)) return explicit;
    throw missingProgram('oscap', `${OSCAP_ENV}=${explicit} is not an executable file`, '--engine oscap');
  }
  const found = await onPath('oscap', env.PATH ?? '');
  if (!found) throw missingProgram('oscap', 'not on PATH', '--engine oscap');
  return found;
}

/** A helper program (unshare, mount) on PATH, or the same one-line error. */
export async function locateHelper(name: string, purpose: string): Promise<string> {
  const found = await onPath(name);
  if (!found) throw missingProgram(name, 'not on PATH', purpose);
  return found;
}
