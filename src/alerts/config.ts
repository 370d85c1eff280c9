/**
 * The typed alert configuration, validated with zod so a mistake in an alerts file or a flag is
 * reported with the field that is wrong (`channels.2.url: Invalid URL`) before the watcher starts.
 * Channel objects are built from it by create-channel.ts.
 */
import { z } from 'zod';
import { SEVERITIES } from '../core/results.js';
import { FACILITIES, type Facility } from './format/rfc5424.js';

const DRIFT_KINDS = ['drift', 'resolved', 'error', 'changed'] as const;

const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' });

export const retrySchema = z
  .strictObject({
    attempts: z.int().min(1).max(50),
    initialDelayMs: z.int().min(0).max(3_600_000),
    maxDelayMs: z.int().min(0).max(86_400_000),
    factor: z.number().min(1).max(10),
    jitter: z.number().min(0).max(1),
  })
  .partial();

const deliveryFields = {
  timeoutMs: z.int().min(1).max(600_000).optional(),
  retry: retrySchema.optional(),
};

export const filterSchema = z.strictObject({
  minSeverity: z.enum(SEVERITIES).optional(),
  rules: z
    .strictObject({
      include: z.array(z.string().min(1)).optional(),
      exclude: z.array(z.string().min(1)).optional(),
    })
    .optional(),
  labels: z.record(z.string().min(1), z.string()).optional(),
  kinds: z.array(z.enum(DRIFT_KINDS)).min(1).optional(),
});

const commonFields = {
  /** Unique name for logs and dead-letter lines; defaults to the type (numbered when repeated). */
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, ".", "_" and "-", at most 64')
    .optional(),
  filter: filterSchema.optional(),
  ...deliveryFields,
};

export const webhookConfigSchema = z.strictObject({
  type: z.literal('webhook'),
  url: httpUrl,
  secret: z.string().min(1).optional(),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'not an HTTP header name'), z.string()).optional(),
  ...commonFields,
});

export const slackConfigSchema = z.strictObject({
  type: z.literal('slack'),
  url: httpUrl,
  ...commonFields,
});

const address = z
  .string()
  .min(3)
  .regex(/^[^\r\n]+$/, 'must be one line');

export const emailConfigSchema = z.strictObject({
  type: z.literal('email'),
  host: z.string().min(1),
  /** 465 when `secure`, else 587. */
  port: z.int().min(1).max(65_535).optional(),
  secure: z.boolean().default(false),
  requireTLS: z.boolean().optional(),
  rejectUnauthorized: z.boolean().optional(),
  auth: z.strictObject({ user: z.string().min(1), pass: z.string() }).optional(),
  from: address,
  to: z.union([address, z.array(address).min(1)]),
  subjectPrefix: z
    .string()
    .regex(/^[^\r\n]*$/, 'must be one line')
    .optional(),
  ...commonFields,
});

export const pagerDutyConfigSchema = z.strictObject({
  type: z.literal('pagerduty'),
  routingKey: z.string().min(1),
  /** Events API v2 endpoint; the public one by default. */
  url: httpUrl.optional(),
  ...commonFields,
});

export const syslogConfigSchema = z.strictObject({
  type: z.literal('syslog'),
  protocol: z.enum(['udp', 'tcp']).default('udp'),
  host: z.string().min(1),
  port: z.int().min(1).max(65_535).default(514),
  facility: z.enum(Object.keys(FACILITIES) as [Facility, ...Facility[]]).optional(),
  hostname: z.string().min(1).optional(),
  appName: z.string().min(1).max(48).optional(),
  maxMessageBytes: z.int().min(480).max(65_507).optional(),
  ...commonFields,
});

export const channelConfigSchema = z.discriminatedUnion('type', [
  webhookConfigSchema,
  slackConfigSchema,
  emailConfigSchema,
  pagerDutyConfigSchema,
  syslogConfigSchema,
]);

/** A channel as written in an alerts file or built from flags (before defaults are applied). */
export type ChannelConfigInput = z.input<typeof channelConfigSchema>;
export type ChannelConfig = z.output<typeof channelConfigSchema>;

export const alertsFileSchema = z.strictObject({
  version: z.literal(1).optional(),
  /** JSON-lines file for events that exhausted their retries; relative to the alerts file. */
  deadLetter: z.string().min(1).optional(),
  defaults: z
    .strictObject({
      ...deliveryFields,
      dedupeWindowMs: z.int().min(0).max(86_400_000).optional(),
      maxQueue: z.int().min(1).max(1_000_000).optional(),
    })
    .optional(),
  channels: z.array(channelConfigSchema),
});

export type AlertsFile = z.output<typeof alertsFileSchema>;

/** `field.path: problem` per issue, the convention of the rest of Vouch's validation errors. */
export function formatIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .map((issue) => {
      const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
      return `${path || '(config)'}: ${issue.message}`;
    })
    .join('; ');
}
