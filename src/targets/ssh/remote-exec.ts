/**
 * Running one command over an SSH connection. The command line is always built from an argv by
 * shellCommandLine (every word single-quoted); nothing here takes a shell string.
 */
import type { Client, ClientChannel } from 'ssh2';
import { shellCommandLine } from './shell-quote.js';

/** Output kept per stream; beyond it is dropped (a runaway command must not exhaust memory). */
export const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

export interface RemoteRunOptions {
  timeoutMs?: number;
  /** Receives stdout as it arrives instead of buffering it (the walk streams find's output). */
  onStdout?: (chunk: Buffer) => void;
  /** Keep at most this many stdout bytes (default MAX_OUTPUT_BYTES). */
  maxStdoutBytes?: number;
}

export interface RemoteRunResult {
  exitCode: number | null;
  signal: string | null;
  stdout: Buffer;
  /** stdout exceeded maxStdoutBytes */
  stdoutTruncated: boolean;
  stderr: string;
  timedOut: boolean;
}

/**
 * A counting semaphore: sshd allows only MaxSessions (default 10) channels per connection, and the
 * SFTP session holds one, so concurrent commands must queue rather than fail to open.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** Runs `argv` on the remote host (through its login shell, every word quoted). */
export function runRemote(
  client: Client,
  argv: readonly string[],
  options: RemoteRunOptions = {},
): Promise<RemoteRunResult> {
  const command = shellCommandLine(argv);
  const maxStdout = options.maxStdoutBytes ?? MAX_OUTPUT_BYTES;
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel: ClientChannel) => {
      if (error) {
        reject(error);
        return;
      }
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let outBytes = 0;
      let errBytes = 0;
      let exitCode: number | null = null;
      let signal: string | null = null;
      let timedOut = false;
      let settled = false;
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : setTimeout(() => {
              timedOut = true;
              // OpenSSH delivers the signal to the command; closing the channel also hangs up on it
              // (its next write fails), and the scan stops waiting either way.
              try {
                channel.signal('KILL');
              } catch {}
              finish();
              channel.close();
            }, options.timeoutMs);
      const finish = () => {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        resolve({
          exitCode: timedOut ? null : exitCode,
          signal,
          stdout: Buffer.concat(stdout),
          stdoutTruncated: outBytes > maxStdout,
          stderr: Buffer.concat(stderr).toString('utf8'),
          timedOut,
        });
      };
      channel.on('data', (chunk: Buffer) => {
        if (options.onStdout) {
          options.onStdout(chunk);
          return;
        }
        if (outBytes < maxStdout) stdout.push(chunk.subarray(0, maxStdout - outBytes));
        outBytes += chunk.length;
      });
      channel.stderr.on('data', (chunk: Buffer) => {
        if (errBytes < MAX_OUTPUT_BYTES) stderr.push(chunk);
        errBytes += chunk.length;
      });
      channel.on('exit', (code: number | null, signalName?: string) => {
        exitCode = typeof code === 'number' ? code : null;
        signal = signalName ?? null;
      });
      channel.on('close', finish);
      // No input: a command waiting on stdin would otherwise hang the scan.
      channel.end();
    });
  });
}
