/**
 * `vouch agent` as a function: enroll once, then keep a WebSocket to the server open, run the
 * scans it sends with the local engine (this host, or --root DIR), and upload the results
 * through the spool (spool.ts). Reconnects with exponential backoff and jitter; a revoked or
 * unknown credential stops the agent (retrying cannot fix it).
 */
import { readFile } from 'node:fs/promises';
import { hostname, release } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { VouchError } from '../core/errors.js';
import { openScanSession, runSessionScan } from '../scan/run-scan.js';
import { openTarget } from '../targets/index.js';
import { TOOL_VERSION } from '../version.js';
import {
  AGENT_SOCKET_PATH,
  CLOSE_FORBIDDEN,
  CLOSE_REVOKED,
  type ResultMessage,
  resultKey,
  type ScanMessage,
  serverMessage,
} from './protocol.js';
import { Spool } from './spool.js';
import { type AgentCredential, enroll, ensureStateDir, loadCredential, saveCredential } from './state.js';

export interface AgentOptions {
  server: string;
  stateDir: string;
  enrollToken?: string;
  name?: string;
  /** Scan this root filesystem instead of the host. */
  root?: string;
  contentDir?: string;
  heartbeatMs?: number;
  backoff?: { baseMs?: number; maxMs?: number };
  /** Stops the agent: closes the socket, lets running scans reach the spool, returns. */
  signal: AbortSignal;
  log?: (line: string) => void;
}

async function osName(root: string | undefined): Promise<string | null> {
  try {
    const text = await readFile(join(root ?? '/', 'etc/os-release'), 'utf8');
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
    return match?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Exponential backoff with jitter: a fleet reconnecting after a server restart spreads out. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function runAgent(options: AgentOptions): Promise<void> {
  const log = options.log ?? ((line: string) => process.stderr.write(`vouch agent: ${line}\n`));
  await ensureStateDir(options.stateDir);
  const spool = new Spool(join(options.stateDir, 'spool'));
  const name = options.name ?? hostname();
  let credential: AgentCredential | undefined = await loadCredential(options.stateDir);
  if (credential === undefined) {
    if (options.enrollToken === undefined) {
      throw new VouchError(
        'NOT_ENROLLED',
        `no credential in ${options.stateDir}; enroll first with --enroll TOKEN (an admin creates one)`,
      );
    }
    credential = await enroll(options.server, {
      token: options.enrollToken,
      name,
      version: TOOL_VERSION,
      facts: { hostname: hostname(), os: await osName(options.root), kernel: release() },
    });
    await saveCredential(options.stateDir, credential);
    log(`enrolled as agent ${credential.agentId} (target ${credential.targetId})`);
  }
  const { credential: secret } = credential;
  const os = await osName(options.root);

  const running = new Map<string, Promise<void>>();
  const acked = new Set<string>();
  let previous: Promise<void> = Promise.resolve();
  let socket: WebSocket | undefined;

  const send = (message: object): boolean => {
    if (socket === undefined || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  };

  // Keys resent on the current connection: the server's re-dispatch of the same scan at hello
  // then needs no second copy (a duplicate would be harmless, only wasted bytes).
  let resent = new Set<string>();
  const resendSpool = async () => {
    for (const key of await spool.keys()) {
      const message = await spool.get(key);
      if (message !== undefined && !resent.has(key) && send(message)) {
        resent.add(key);
        log(`resent ${key} from the spool`);
      }
    }
  };

  const runScan = async (message: ScanMessage) => {
    const key = resultKey(message.scanId);
    // Variable names only: values can be sensitive (sealed on the server, redacted in its logs).
    const names = message.variables.map((v) => v.split('=')[0]).join(',');
    log(
      `scan ${message.scanId} received (profile ${message.profile ?? 'default'}; variables ${names || 'none'})`,
    );
    const transport = await openTarget(options.root !== undefined ? { root: options.root } : {});
    let result: Awaited<ReturnType<typeof runSessionScan>>['result'];
    try {
      const session = await openScanSession({
        transport,
        ...(options.contentDir !== undefined ? { contentDir: options.contentDir } : {}),
        ...(message.profile !== null ? { profile: message.profile } : {}),
        ...(message.rules !== null ? { rules: message.rules } : {}),
        vars: message.variables,
      });
      ({ result } = await runSessionScan(session));
    } finally {
      await transport.close();
    }
    const upload: ResultMessage = {
      v: 1,
      type: 'result',
      scanId: message.scanId,
      idempotencyKey: key,
      result: result as unknown as ResultMessage['result'],
    };
    // Durable first, then sent: a crash or a dead server between the two loses nothing.
    await spool.put(upload);
    log(`scan ${message.scanId} finished, spooled as ${key}`);
    if (send(upload)) log(`sent ${key}`);
  };

  // Synchronous up to `running.set`: the same scan can arrive twice at once (the job's dispatch
  // and the pending scans sent at hello); only the first is taken.
  const onScan = (message: ScanMessage) => {
    const key = resultKey(message.scanId);
    if (running.has(message.scanId) || acked.has(key)) return;
    // One scan at a time: the host keeps working while it is scanned; the rest wait their turn.
    const work = previous
      .then(async () => {
        // Stopping: scans not started yet stay with the server, which sends them again at the
        // next connect (they are queued or running there).
        if (options.signal.aborted) return;
        const spooled = await spool.get(key);
        if (spooled === undefined) return runScan(message);
        // Finished before (e.g. before a restart of this agent): send the stored result instead.
        if (!resent.has(key) && send(spooled)) resent.add(key);
      })
      .catch((err: unknown) => log(`scan ${message.scanId} failed: ${(err as Error).message}`))
      .finally(() => running.delete(message.scanId));
    running.set(message.scanId, work);
    previous = work;
  };

  const connectOnce = (): Promise<{ code: number; reason: string; opened: boolean }> =>
    new Promise((resolve) => {
      const url = new URL(AGENT_SOCKET_PATH, options.server);
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      const ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${secret}` },
        maxPayload: 16 * 1024 * 1024,
      });
      socket = ws;
      let opened = false;
      let heartbeat: NodeJS.Timeout | undefined;
      let httpStatus = 0;
      ws.on('unexpected-response', (_req, res) => {
        httpStatus = res.statusCode ?? 0;
        ws.terminate();
      });
      ws.on('open', () => {
        opened = true;
        resent = new Set();
        log('connected');
        ws.send(
          JSON.stringify({
            v: 1,
            type: 'hello',
            version: TOOL_VERSION,
            hostname: hostname(),
            kernel: release(),
            os,
          }),
        );
        void resendSpool().catch((err: unknown) => log(`spool resend failed: ${(err as Error).message}`));
        heartbeat = setInterval(() => send({ v: 1, type: 'heartbeat' }), options.heartbeatMs ?? 30_000);
      });
      ws.on('message', (data) => {
        let json: unknown;
        try {
          json = JSON.parse(data.toString());
        } catch {
          json = undefined;
        }
        const parsed = serverMessage.safeParse(json);
        if (!parsed.success) {
          log('ignored a message this agent does not understand');
          return;
        }
        const message = parsed.data;
        if (message.type === 'scan') {
          onScan(message);
        } else {
          acked.add(message.idempotencyKey);
          void spool
            .remove(message.idempotencyKey)
            .then(() =>
              log(
                `acked ${message.idempotencyKey}${message.stored ? '' : ` (not stored: ${message.reason})`}`,
              ),
            );
        }
      });
      ws.on('error', () => undefined);
      ws.on('close', (code, reason) => {
        if (heartbeat !== undefined) clearInterval(heartbeat);
        socket = undefined;
        resolve({ code: httpStatus === 401 ? CLOSE_REVOKED : code, reason: reason.toString(), opened });
      });
    });

  options.signal.addEventListener('abort', () => socket?.close(1000, 'agent stopping'), { once: true });
  const baseMs = options.backoff?.baseMs ?? 1000;
  const maxMs = options.backoff?.maxMs ?? 60_000;
  let attempt = 0;
  while (!options.signal.aborted) {
    const closed = await connectOnce();
    if (options.signal.aborted) break;
    if (closed.code === CLOSE_REVOKED || closed.code === CLOSE_FORBIDDEN) {
      await Promise.allSettled(running.values());
      throw new VouchError(
        'AGENT_REFUSED',
        `the server refused this agent (${closed.code} ${closed.reason || 'credential unknown or revoked'})`,
      );
    }
    attempt = closed.opened ? 0 : attempt + 1;
    const delay = backoffDelay(attempt, baseMs, maxMs);
    log(`disconnected (${closed.code}); reconnecting in ${delay} ms`);
    await new Promise<void>((done) => {
      const timer = setTimeout(done, delay);
      options.signal.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          done();
        },
        { once: true },
      );
    });
  }
  // Clean stop: the scan already running finishes into the spool, to be sent at the next start.
  await Promise.allSettled(running.values());
  log('stopped');
}
