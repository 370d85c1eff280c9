/**
 * Syslog to a SIEM: RFC 5424 lines carrying a CEF message, over UDP (RFC 5426, one datagram each) or
 * TCP (RFC 6587 octet counting). TCP opens one connection per message: alerts are rare, and a fresh
 * connection never leaves a silently dead socket that swallows the next alert.
 */
import { createSocket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { connect } from 'node:net';
import { hostname as osHostname } from 'node:os';
import type { DriftEvent } from '../../core/drift.js';
import type { AlertChannel, DeliveryOverrides } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import type { EventFilter } from '../filter.js';
import { cefMessage } from '../format/cef.js';
import {
  type Facility,
  octetCountingFrame,
  rfc5424Line,
  syslogSeverity,
  truncateBytes,
} from '../format/rfc5424.js';

export interface SyslogChannelOptions {
  name: string;
  protocol: 'udp' | 'tcp';
  host: string;
  port: number;
  facility?: Facility;
  /** HOSTNAME field; the machine Vouch runs on by default. */
  hostname?: string;
  appName?: string;
  /** Longer messages are cut (UDP receivers commonly accept 8 KiB; RFC 5426 only promises 480 bytes). */
  maxMessageBytes?: number;
  filter: EventFilter;
  delivery?: DeliveryOverrides;
  now?: () => Date;
}

export function syslogLine(event: DriftEvent, options: SyslogChannelOptions): string {
  const line = rfc5424Line(
    {
      facility: options.facility ?? 'local0',
      severity: syslogSeverity(event),
      timestamp: (options.now?.() ?? new Date()).toISOString(),
      hostname: options.hostname ?? osHostname(),
      appName: options.appName ?? 'vouch',
      procId: String(process.pid),
      msgId: event.kind,
    },
    cefMessage(event),
  );
  return truncateBytes(line, options.maxMessageBytes ?? 8192);
}

export function createSyslogChannel(options: SyslogChannelOptions): AlertChannel {
  return {
    name: options.name,
    type: 'syslog',
    filter: options.filter,
    ...(options.delivery ? { delivery: options.delivery } : {}),
    async send(event: DriftEvent, signal: AbortSignal): Promise<void> {
      const line = syslogLine(event, options);
      if (options.protocol === 'udp')
        await sendUdp(options.host, options.port, Buffer.from(line, 'utf8'), signal);
      else await sendTcp(options.host, options.port, octetCountingFrame(line), signal);
    },
  };
}

function aborted(): DeliveryError {
  return new DeliveryError('syslog send timed out or was cancelled', { retryable: true });
}

async function sendUdp(host: string, port: number, datagram: Buffer, signal: AbortSignal): Promise<void> {
  const { address, family } = await lookup(host);
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(aborted());
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      socket.on('error', (error) =>
        reject(new DeliveryError(`syslog UDP: ${error.message}`, { retryable: true })),
      );
      socket.send(datagram, port, address, (error) => {
        signal.removeEventListener('abort', onAbort);
        if (error) reject(new DeliveryError(`syslog UDP: ${error.message}`, { retryable: true }));
        else resolve();
      });
    });
  } finally {
    socket.close();
  }
}

function sendTcp(host: string, port: number, frame: Buffer, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(aborted());
    const socket = connect({ host, port });
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error) {
        socket.destroy();
        reject(
          error instanceof DeliveryError
            ? error
            : new DeliveryError(`syslog TCP: ${error.message}`, { retryable: true }),
        );
      } else resolve();
    };
    const onAbort = () => finish(aborted());
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(error));
    socket.once('connect', () => {
      // Resolved once the frame is flushed; the peer's close is not awaited because some receivers keep
      // the connection open, and a bounded timer cleans up the socket in that case.
      socket.end(frame, () => {
        finish();
        socket.setTimeout(5000, () => socket.destroy());
        socket.unref();
      });
    });
  });
}
