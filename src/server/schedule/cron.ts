/**
 * Cron expressions for schedules, read by croner: 5 fields (minute hour day month weekday) or 6
 * with seconds first, in an IANA time zone (default UTC). Errors name the field the expression
 * came from, because the API reports them back to whoever typed it.
 */
import { Cron } from 'croner';

export class CronError extends Error {
  override name = 'CronError';
  constructor(
    /** The input field, e.g. "schedule" of a scan configuration. */
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export interface CronSpec {
  cron: string;
  timezone?: string;
}

function build(spec: CronSpec, field: string): Cron {
  const expression = spec.cron.trim();
  if (expression === '') throw new CronError(field, 'cron expression is empty');
  let cron: Cron;
  try {
    cron = new Cron(expression, { paused: true, timezone: spec.timezone ?? 'UTC' });
  } catch (err) {
    const reason = (err as Error).message.replace(/^CronPattern: /, '');
    throw new CronError(field, `invalid cron expression "${expression}": ${reason}`);
  }
  return cron;
}

/** Throws a CronError naming `field` when the expression or time zone is unusable. */
export function validateCron(spec: CronSpec, field = 'cron', now: Date = new Date()): void {
  if (nextRunAfter(spec, now, field) === null) {
    throw new CronError(
      field,
      `cron expression "${spec.cron.trim()}" never fires after ${now.toISOString()}`,
    );
  }
}

/**
 * The first run strictly after `after`, or null when the expression never fires again (e.g. a
 * fixed date in the past). An unknown time zone surfaces here (croner checks it lazily).
 */
export function nextRunAfter(spec: CronSpec, after: Date, field = 'cron'): Date | null {
  const cron = build(spec, field);
  try {
    return cron.nextRun(after);
  } catch (err) {
    const message = (err as Error).message;
    if (/timezone/i.test(message)) {
      throw new CronError(field, `unknown time zone "${spec.timezone}"`);
    }
    throw new CronError(field, `cannot compute the next run of "${spec.cron}": ${message}`);
  }
}
