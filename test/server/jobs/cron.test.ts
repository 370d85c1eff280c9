import { describe, expect, it } from 'vitest';
import { CronError, nextRunAfter, validateCron } from '../../../src/server/schedule/index.js';

const at = new Date('2026-03-01T12:00:00.000Z');

describe('cron', () => {
  it.each([
    ['*/5 * * * *', 'UTC', '2026-03-01T12:05:00.000Z'],
    ['0 2 * * *', 'UTC', '2026-03-02T02:00:00.000Z'],
    ['30 * * * * *', 'UTC', '2026-03-01T12:00:30.000Z'], // six fields: seconds first
    ['0 9 * * 1', 'UTC', '2026-03-02T09:00:00.000Z'], // Monday
    ['0 9 * * *', 'America/New_York', '2026-03-01T14:00:00.000Z'], // EST = UTC-5
  ])('%s in %s next runs at %s', (cron, timezone, next) => {
    expect(nextRunAfter({ cron, timezone }, at)?.toISOString()).toBe(next);
  });

  it('is strictly after the given time', () => {
    expect(nextRunAfter({ cron: '0 12 * * *' }, at)?.toISOString()).toBe('2026-03-02T12:00:00.000Z');
  });

  it.each([
    [
      '61 * * * *',
      undefined,
      'scanConfig.schedule: invalid cron expression "61 * * * *": Invalid value for minute: 61',
    ],
    [
      '* * 32 * *',
      undefined,
      'scanConfig.schedule: invalid cron expression "* * 32 * *": Invalid value for day',
    ],
    [
      'hello',
      undefined,
      'scanConfig.schedule: invalid cron expression "hello": invalid configuration format',
    ],
    ['', undefined, 'scanConfig.schedule: cron expression is empty'],
    [
      '0 0 30 2 *',
      undefined,
      'scanConfig.schedule: cron expression "0 0 30 2 *" never fires after 2026-03-01T12:00:00.000Z',
    ],
    ['0 9 * * *', 'Nowhere/Town', 'scanConfig.schedule: unknown time zone "Nowhere/Town"'],
  ])('rejects %j (zone %s) naming the field', (cron, timezone, message) => {
    let err: unknown;
    try {
      validateCron({ cron, ...(timezone ? { timezone } : {}) }, 'scanConfig.schedule', at);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CronError);
    expect((err as CronError).field).toBe('scanConfig.schedule');
    expect((err as CronError).message.startsWith(message), (err as Error).message).toBe(true);
  });
});
