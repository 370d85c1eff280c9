/**
 * Channels from command-line flags, for `vouch watch --webhook URL …`. Each flag becomes the same
 * config object an alerts file would hold and goes through createChannel, so validation is shared;
 * URLs are masked in every error because they may carry credentials.
 */
import { VouchError } from '../core/errors.js';
import type { Severity } from '../core/results.js';
import type { AlertChannel } from './channel.js';
import type { ChannelConfigInput } from './config.js';
import { createChannels } from './create-channel.js';
import { maskUrl } from './secrets.js';

export interface AlertFlags {
  webhook?: string | string[];
  webhookSecret?: string;
  slack?: string | string[];
  /** `smtp://[user:pass@]host[:port]?from=a@x&to=b@y,c@z` (smtps:// for implicit TLS). */
  smtp?: string;
  emailFrom?: string;
  emailTo?: string | string[];
  pagerdutyKey?: string;
  pagerdutyUrl?: string;
  /** `udp://host[:port]` or `tcp://host[:port]`, port 514 by default. */
  syslog?: string | string[];
  /** Lowest severity sent to the channels built from flags. */
  alertMinSeverity?: Severity;
}

export { ALERT_FLAG_SPECS } from './flag-specs.js';

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

function many(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function flagError(flag: string, message: string): VouchError {
  return new VouchError('INVALID_ALERT_FLAG', `${flag}: ${message}`);
}

function parseUrl(flag: string, raw: string, protocols: string[]): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw flagError(flag, `not a URL (${maskUrl(raw)})`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (!protocols.includes(scheme)) {
    throw flagError(flag, `expected ${protocols.map((p) => `${p}://`).join(' or ')}, got ${maskUrl(raw)}`);
  }
  return url;
}

export function smtpConfigFromUrl(
  raw: string,
  flags: Pick<AlertFlags, 'emailFrom' | 'emailTo'> = {},
): ChannelConfigInput {
  const url = parseUrl('--smtp', raw, ['smtp', 'smtps']);
  const secure = url.protocol === 'smtps:';
  const from = flags.emailFrom ?? url.searchParams.get('from') ?? undefined;
  const to = [...list(url.searchParams.getAll('to')), ...list(flags.emailTo)];
  if (!from)
    throw flagError('--smtp', `no sender: add ?from=... to the URL or --email-from (${maskUrl(raw)})`);
  if (to.length === 0)
    throw flagError('--smtp', `no recipient: add ?to=... to the URL or --email-to (${maskUrl(raw)})`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw flagError('--smtp', `no host (${maskUrl(raw)})`);
  return {
    type: 'email',
    host,
    ...(url.port ? { port: Number(url.port) } : {}),
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    from,
    to,
  };
}

export function syslogConfigFromUrl(raw: string): ChannelConfigInput {
  const url = parseUrl('--syslog', raw, ['udp', 'tcp']);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) throw flagError('--syslog', `no host (${maskUrl(raw)})`);
  return {
    type: 'syslog',
    protocol: url.protocol === 'tcp:' ? 'tcp' : 'udp',
    host,
    ...(url.port ? { port: Number(url.port) } : {}),
  };
}

/** The channel configs the flags describe, in a stable order (webhook, slack, email, pagerduty, syslog). */
export function channelConfigsFromFlags(flags: AlertFlags): ChannelConfigInput[] {
  const filter = flags.alertMinSeverity ? { filter: { minSeverity: flags.alertMinSeverity } } : {};
  const configs: ChannelConfigInput[] = [];
  const webhooks = many(flags.webhook);
  if (flags.webhookSecret && webhooks.length === 0) throw flagError('--webhook-secret', 'needs --webhook');
  for (const url of webhooks) {
    parseUrl('--webhook', url, ['http', 'https']);
    configs.push({
      type: 'webhook',
      url,
      ...(flags.webhookSecret ? { secret: flags.webhookSecret } : {}),
      ...filter,
    });
  }
  for (const url of many(flags.slack)) {
    parseUrl('--slack', url, ['http', 'https']);
    configs.push({ type: 'slack', url, ...filter });
  }
  if (flags.smtp) configs.push({ ...smtpConfigFromUrl(flags.smtp, flags), ...filter });
  else if (flags.emailTo !== undefined || flags.emailFrom !== undefined)
    throw flagError('--email-to', 'needs --smtp');
  if (flags.pagerdutyKey) {
    if (flags.pagerdutyUrl) parseUrl('--pagerduty-url', flags.pagerdutyUrl, ['http', 'https']);
    configs.push({
      type: 'pagerduty',
      routingKey: flags.pagerdutyKey,
      ...(flags.pagerdutyUrl ? { url: flags.pagerdutyUrl } : {}),
      ...filter,
    });
  } else if (flags.pagerdutyUrl) throw flagError('--pagerduty-url', 'needs --pagerduty-key');
  for (const url of many(flags.syslog)) configs.push({ ...syslogConfigFromUrl(url), ...filter });
  return configs;
}

const FLAG_OF_TYPE: Record<string, string> = {
  webhook: '--webhook',
  slack: '--slack',
  email: '--smtp',
  pagerduty: '--pagerduty-key',
  syslog: '--syslog',
};

/** Channels for the watch CLI; throws a VouchError naming the flag (secrets masked). */
export function channelsFromFlags(flags: AlertFlags): AlertChannel[] {
  return createChannels(
    channelConfigsFromFlags(flags),
    (_, input) => FLAG_OF_TYPE[(input as { type: string }).type] ?? 'flags',
  );
}
