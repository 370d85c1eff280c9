/**
 * Email through SMTP with nodemailer. One transport per channel, not pooled: alerts are rare and a
 * fresh connection per message never leaves a half-dead socket behind after a timeout. The dispatcher's
 * AbortSignal is handed to nodemailer, which cancels the SMTP conversation.
 */
import nodemailer from 'nodemailer';
import type { DriftEvent } from '../../core/drift.js';
import type { AlertChannel, DeliveryOverrides } from '../channel.js';
import { DeliveryError } from '../delivery-error.js';
import type { EventFilter } from '../filter.js';
import { emailContent } from '../format/email.js';
import { EVENT_ID_HEADER } from '../signature.js';

export interface EmailChannelOptions {
  name: string;
  host: string;
  port: number;
  /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the connection is encrypted (STARTTLS required). */
  requireTLS?: boolean;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  auth?: { user: string; pass: string };
  from: string;
  to: string[];
  subjectPrefix?: string;
  filter: EventFilter;
  delivery?: DeliveryOverrides;
  /** Bounds connection, greeting and idle socket time, in ms. */
  connectionTimeoutMs?: number;
}

/** SMTP reply codes 5xx are permanent by definition (RFC 5321 section 4.2.1). */
function isPermanent(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

export function createEmailChannel(options: EmailChannelOptions): AlertChannel {
  const timeout = options.connectionTimeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: options.host,
    port: options.port,
    secure: options.secure,
    requireTLS: options.requireTLS ?? false,
    ...(options.auth ? { auth: { user: options.auth.user, pass: options.auth.pass } } : {}),
    tls: { rejectUnauthorized: options.rejectUnauthorized ?? true },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    name: options.name,
    type: 'email',
    filter: options.filter,
    secrets: options.auth ? [options.auth.pass] : [],
    ...(options.delivery ? { delivery: options.delivery } : {}),
    async send(event: DriftEvent, signal: AbortSignal): Promise<void> {
      const content = emailContent(event, options.subjectPrefix);
      try {
        await transport.sendMail({
          from: options.from,
          to: options.to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          headers: { [EVENT_ID_HEADER]: event.id },
          signal,
        });
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new DeliveryError(`SMTP delivery failed: ${reason}`, {
          retryable: !isPermanent(error),
          cause: error,
        });
      }
    },
    async close(): Promise<void> {
      transport.close();
    },
  };
}
