/**
 * Reading an alerts file (YAML or JSON; YAML is a superset, so one parser serves both). String values
 * may reference environment variables as `${env:NAME}` so secrets stay out of the file.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { VouchError } from '../core/errors.js';
import type { AlertChannel } from './channel.js';
import { alertsFileSchema, formatIssues } from './config.js';
import { createChannels } from './create-channel.js';
import type { DispatcherOptions } from './dispatcher.js';

export interface AlertsConfig {
  channels: AlertChannel[];
  /** Dispatcher settings from the file's `defaults` and `deadLetter` (path made absolute). */
  options: DispatcherOptions;
}

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${env:NAME}` in every string; a missing variable is an error naming the field. */
export function expandEnv(
  value: unknown,
  env: NodeJS.ProcessEnv = process.env,
  path: string[] = [],
): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_, name: string) => {
      const found = env[name];
      if (found === undefined) {
        throw new VouchError(
          'INVALID_ALERT_CONFIG',
          `alerts config: ${path.join('.') || '(root)'}: environment variable ${name} is not set`,
        );
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, i) => expandEnv(item, env, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnv(item, env, [...path, key])]),
    );
  }
  return value;
}

/** Validates parsed alerts-file content; `baseDir` anchors a relative deadLetter path. */
export function alertsConfigFrom(raw: unknown, baseDir: string, source = 'alerts config'): AlertsConfig {
  const expanded = expandEnv(raw);
  const parsed = alertsFileSchema.safeParse(expanded);
  if (!parsed.success)
    throw new VouchError('INVALID_ALERT_CONFIG', `${source}: ${formatIssues(parsed.error)}`);
  const file = parsed.data;
  let channels: AlertChannel[];
  try {
    channels = createChannels(file.channels);
  } catch (error) {
    if (error instanceof VouchError) throw new VouchError(error.code, `${source}: ${error.message}`);
    throw error;
  }
  const defaults = file.defaults ?? {};
  const options: DispatcherOptions = {
    ...(defaults.timeoutMs !== undefined ? { timeoutMs: defaults.timeoutMs } : {}),
    ...(defaults.retry !== undefined ? { retry: defaults.retry } : {}),
    ...(defaults.dedupeWindowMs !== undefined ? { dedupeWindowMs: defaults.dedupeWindowMs } : {}),
    ...(defaults.maxQueue !== undefined ? { maxQueue: defaults.maxQueue } : {}),
    ...(file.deadLetter !== undefined ? { deadLetterPath: resolve(baseDir, file.deadLetter) } : {}),
  };
  return { channels, options };
}

export async function loadAlertsConfig(path: string): Promise<AlertsConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new VouchError('ALERTS_CONFIG_UNREADABLE', `alerts config ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    // First line only: the parser's code frame would quote the file, secrets included.
    const reason = (error as Error).message.split('\n')[0];
    throw new VouchError('INVALID_ALERT_CONFIG', `alerts config ${path}: ${reason}`);
  }
  return alertsConfigFrom(raw, dirname(resolve(path)), `alerts config ${path}`);
}
