/**
 * Running one command on this machine: argv only (never a shell), bounded time and output.
 */
import { spawn } from 'node:child_process';
import type { CommandValue } from '../core/facts/fact-values.js';
import type { ExecOptions } from './transport.js';

/** Output beyond this is dropped: a runaway command must not exhaust memory. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** What a shell reports for a command it cannot find; rules written against shell habits expect it. */
const EXIT_NOT_FOUND = 127;
const EXIT_NOT_EXECUTABLE = 126;

function text(chunks: Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8');
}

export function execLocal(argv: string[], options: ExecOptions): Promise<CommandValue> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.reject(new Error('cannot run an empty command'));
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let outBytes = 0;
    let errBytes = 0;
    let timedOut = false;
    let settled = false;
    // LC_ALL=C: output is parsed by rules; localised messages or number formats would break them.
    // detached: the command leads its own process group, so a timeout kills whatever it forked
    // too; otherwise a grandchild holding the pipes open would keep the scan waiting.
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
      detached: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      finish({ exitCode: null, stdout: text(stdout), stderr: text(stderr) });
    }, options.timeoutMs);
    const finish = (value: Omit<CommandValue, 'argv' | 'timedOut'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ argv: [...argv], timedOut, ...value });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      if (outBytes < MAX_OUTPUT_BYTES) stdout.push(chunk);
      outBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (errBytes < MAX_OUTPUT_BYTES) stderr.push(chunk);
      errBytes += chunk.length;
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      const exitCode =
        error.code === 'ENOENT' ? EXIT_NOT_FOUND : error.code === 'EACCES' ? EXIT_NOT_EXECUTABLE : null;
      finish({ exitCode, stdout: '', stderr: `${file}: ${error.code ?? error.message}` });
    });
    child.on('close', (code) => {
      finish({
        exitCode: timedOut ? null : code,
        stdout: text(stdout),
        stderr: text(stderr),
      });
    });
  });
}
