/** The alert flags of `vouch watch` (data only: listing them must not load the channels). */

/** Commander-style option specs, so the CLI registers exactly the flags this module reads. */
export const ALERT_FLAG_SPECS: ReadonlyArray<{ flags: string; description: string; repeatable?: boolean }> = [
  {
    flags: '--webhook <url>',
    description: 'POST drift events as JSON to this URL (repeatable)',
    repeatable: true,
  },
  { flags: '--webhook-secret <secret>', description: 'sign webhook bodies: X-Vouch-Signature HMAC-SHA256' },
  { flags: '--slack <url>', description: 'Slack incoming-webhook URL (repeatable)', repeatable: true },
  { flags: '--smtp <url>', description: 'email alerts: smtp[s]://user:pass@host:port?from=...&to=...' },
  { flags: '--email-from <address>', description: 'sender of email alerts (instead of ?from= in --smtp)' },
  { flags: '--email-to <address>', description: 'recipient of email alerts (repeatable)', repeatable: true },
  { flags: '--pagerduty-key <routing-key>', description: 'PagerDuty Events API v2 routing key' },
  { flags: '--pagerduty-url <url>', description: 'PagerDuty Events API endpoint (default: the public one)' },
  {
    flags: '--syslog <url>',
    description: 'syslog RFC 5424 + CEF: udp://host:port or tcp://host:port',
    repeatable: true,
  },
  {
    flags: '--alert-min-severity <severity>',
    description: 'lowest rule severity alerted: info, low, medium, high',
  },
];
