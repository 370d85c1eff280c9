/**
 * Config -> channel. The one place that knows which implementation serves which `type`; everything
 * else (file loader, CLI flags) goes through createChannel so validation is identical everywhere.
 */
import { VouchError } from '../core/errors.js';
import type { AlertChannel, DeliveryOverrides } from './channel.js';
import { createEmailChannel } from './channels/email.js';
import { createPagerDutyChannel } from './channels/pagerduty.js';
import { createSlackChannel } from './channels/slack.js';
import { createSyslogChannel } from './channels/syslog.js';
import { createWebhookChannel } from './channels/webhook.js';
import { type ChannelConfig, channelConfigSchema, formatIssues } from './config.js';
import { compileFilter } from './filter.js';

export interface CreateChannelOptions {
  /** Where the config came from, for error messages: `channels.2`, `--webhook`. */
  where?: string;
  /** The name to use when the config has none (createChannels numbers repeated types). */
  defaultName?: string;
}

/** Validates `input` and builds its channel; throws a VouchError naming the bad field. */
export function createChannel(input: unknown, options: CreateChannelOptions = {}): AlertChannel {
  const parsed = channelConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new VouchError(
      'INVALID_ALERT_CONFIG',
      `alert channel: ${formatIssues(parsed.error, options.where)}`,
    );
  }
  return buildChannel(parsed.data, parsed.data.name ?? options.defaultName ?? parsed.data.type);
}

/** Builds several channels, naming unnamed ones `<type>`, `<type>-2`… and rejecting duplicate names. */
export function createChannels(
  inputs: readonly unknown[],
  whereOf: (index: number, input: unknown) => string = (index) => `channels.${index}`,
): AlertChannel[] {
  const used = new Set<string>();
  const channels: AlertChannel[] = [];
  inputs.forEach((input, index) => {
    const where = whereOf(index, input);
    const explicit = (input as { name?: unknown } | null)?.name;
    let defaultName: string | undefined;
    if (typeof explicit !== 'string') {
      const type = String((input as { type?: unknown } | null)?.type ?? 'channel');
      defaultName = type;
      for (let n = 2; used.has(defaultName); n++) defaultName = `${type}-${n}`;
    }
    const channel = createChannel(input, { where, ...(defaultName ? { defaultName } : {}) });
    if (used.has(channel.name)) {
      throw new VouchError(
        'INVALID_ALERT_CONFIG',
        `alert channel: ${where}.name: "${channel.name}" is used twice`,
      );
    }
    used.add(channel.name);
    channels.push(channel);
  });
  return channels;
}

function deliveryOf(config: ChannelConfig): DeliveryOverrides | undefined {
  const delivery: DeliveryOverrides = {};
  if (config.timeoutMs !== undefined) delivery.timeoutMs = config.timeoutMs;
  if (config.retry !== undefined) delivery.retry = config.retry;
  return Object.keys(delivery).length > 0 ? delivery : undefined;
}

function buildChannel(config: ChannelConfig, name: string): AlertChannel {
  const filter = compileFilter(config.filter);
  const delivery = deliveryOf(config);
  const common = { name, filter, ...(delivery ? { delivery } : {}) };
  switch (config.type) {
    case 'webhook':
      return createWebhookChannel({
        ...common,
        url: config.url,
        ...(config.secret ? { secret: config.secret } : {}),
        ...(config.headers ? { headers: config.headers } : {}),
      });
    case 'slack':
      return createSlackChannel({ ...common, url: config.url });
    case 'email':
      return createEmailChannel({
        ...common,
        host: config.host,
        port: config.port ?? (config.secure ? 465 : 587),
        secure: config.secure,
        ...(config.requireTLS !== undefined ? { requireTLS: config.requireTLS } : {}),
        ...(config.rejectUnauthorized !== undefined ? { rejectUnauthorized: config.rejectUnauthorized } : {}),
        ...(config.auth ? { auth: config.auth } : {}),
        from: config.from,
        to: typeof config.to === 'string' ? [config.to] : config.to,
        ...(config.subjectPrefix !== undefined ? { subjectPrefix: config.subjectPrefix } : {}),
        ...(config.timeoutMs !== undefined ? { connectionTimeoutMs: config.timeoutMs } : {}),
      });
    case 'pagerduty':
      return createPagerDutyChannel({
        ...common,
        routingKey: config.routingKey,
        ...(config.url ? { url: config.url } : {}),
      });
    case 'syslog':
      return createSyslogChannel({
        ...common,
        protocol: config.protocol,
        host: config.host,
        port: config.port,
        ...(config.facility ? { facility: config.facility } : {}),
        ...(config.hostname ? { hostname: config.hostname } : {}),
        ...(config.appName ? { appName: config.appName } : {}),
        ...(config.maxMessageBytes ? { maxMessageBytes: config.maxMessageBytes } : {}),
      });
  }
}
