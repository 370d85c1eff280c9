/**
 * Writing a remediation script. A script that carries a sensitive Value (a password, a secret) is
 * created 0600 from the start (not chmod-ed after the write, which would leave a window in which
 * others can read it); an existing file is tightened before it is truncated and rewritten.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export async function writeScript(path: string, text: string, sensitive: boolean): Promise<void> {
  const handle = await open(path, constants.O_WRONLY | constants.O_CREAT, sensitive ? 0o600 : 0o644);
  try {
    if (sensitive) await handle.chmod(0o600);
    await handle.truncate(0);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
