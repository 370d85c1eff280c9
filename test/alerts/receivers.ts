/**
 * Real local receivers for the alert tests, all bound to 127.0.0.1 on an ephemeral port: an HTTP
 * server (webhook, Slack, PagerDuty), UDP and TCP syslog listeners and an SMTP server. Every wait is
 * bounded so a broken channel fails the test instead of hanging it.
 */
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { SMTPServer } from 'smtp-server';
import type { DriftEvent } from '../../src/core/drift.js';

/** Polls `predicate` every 5 ms for at most `timeoutMs`. */
export async function waitUntil(
  predicate: () => boolean,
  timeoutMs = 5_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** What the server answers: a status (200 default), optional headers, or 'hang' to never answer. */
export type Responder = (
  request: ReceivedRequest,
  index: number,
) => { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

export async function startHttpReceiver(respond: Responder = () => ({ status: 200 })): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      requests.push(request);
      const answer = respond(request, requests.length - 1);
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface UdpListener {
  port: number;
  messages: string[];
  close(): Promise<void>;
}

export async function startUdpListener(): Promise<UdpListener> {
  const messages: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (msg) => messages.push(msg.toString('utf8')));
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    port: socket.address().port,
    messages,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

export interface TcpListener {
  port: number;
  /** Raw bytes per connection, as received. */
  streams: Buffer[];
  close(): Promise<void>;
}

export async function startTcpListener(): Promise<TcpListener> {
  const streams: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      streams.push(Buffer.concat(chunks));
      socket.end();
    });
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    streams,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Splits RFC 6587 octet-counted frames (`LEN SP MSG`…), checking each length against the bytes. */
export function parseOctetFrames(stream: Buffer): string[] {
  const frames: string[] = [];
  let offset = 0;
  for (let guard = 0; offset < stream.length && guard < 10_000; guard++) {
    const space = stream.indexOf(0x20, offset);
    if (space < 0) throw new Error('frame without a length');
    const length = Number(stream.subarray(offset, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0) throw new Error(`bad frame length at ${offset}`);
    const end = space + 1 + length;
    if (end > stream.length) throw new Error('frame shorter than its length');
    frames.push(stream.subarray(space + 1, end).toString('utf8'));
    offset = end;
  }
  return frames;
}

export interface ReceivedMail {
  from: string | undefined;
  to: string[];
  raw: string;
}

export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  auths: Array<{ username: string | undefined; password: string | undefined }>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(options: { rejectWith?: number } = {}): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const auths: SmtpReceiver['auths'] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback: no certificate to manage in tests.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      auths.push({ username: auth.username ?? undefined, password: auth.password ?? undefined });
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.rejectWith) {
          const error = Object.assign(new Error('rejected by test'), { responseCode: options.rejectWith });
          return callback(error);
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, auths, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Decodes a quoted-printable body: soft line breaks and =XX escapes. */
export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const ch = joined[i];
    if (ch === '=' && /^[0-9A-F]{2}$/i.test(joined.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

export function makeEvent(overrides: Partial<DriftEvent> = {}): DriftEvent {
  return {
    id: 'evt-1',
    kind: 'drift',
    target: {
      kind: 'local',
      description: 'this machine',
      hostname: 'web-1',
      labels: { env: 'prod', role: 'web' },
    },
    rule: {
      id: 'sshd-permit-root-login',
      title: 'SSH root login is disabled',
      severity: 'high',
      references: { cis: ['5.2.10'], nist: ['AC-6'] },
    },
    previousStatus: 'pass',
    status: 'fail',
    message: 'PermitRootLogin is yes',
    evidence: [
      {
        source: 'file',
        resource: '/etc/ssh/sshd_config',
        line: 12,
        expected: 'no',
        found: 'yes',
        detail: 'PermitRootLogin yes',
      },
    ],
    trigger: { paths: ['/etc/ssh/sshd_config'], facts: [] },
    timestamps: { changeSeenAt: '2026-11-26T00:00:00.000Z', evaluatedAt: '2026-11-26T00:00:00.250Z' },
    ...overrides,
  };
}

/** A dispatcher logger that keeps lines for assertions instead of writing to stderr. */
export function captureLog(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}
