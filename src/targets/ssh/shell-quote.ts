/**
 * SSH runs a command as ONE string through the remote user's login shell, so an argv has to be
 * turned into shell words. This is the only place that happens: every word is single-quoted,
 * whatever it holds, because inside POSIX single quotes no character is special except the closing
 * quote itself (which is written as `'\''`: close, escaped quote, reopen).
 */

/** One argv word as a POSIX shell single-quoted word. NUL cannot appear in an argv: refused. */
export function quoteShellWord(word: string): string {
  if (word.includes('\0')) {
    throw new Error(`cannot pass a NUL byte in a remote command argument: ${JSON.stringify(word)}`);
  }
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/** An argv as a command line for a POSIX shell: each word quoted, joined by spaces. */
export function shellCommandLine(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error('cannot run an empty command');
  return argv.map(quoteShellWord).join(' ');
}
