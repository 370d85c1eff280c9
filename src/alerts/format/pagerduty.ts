/**
 * PagerDuty Events API v2 bodies. One incident per target and rule (the dedup_key), opened by drift
 * or error and closed when the rule passes again, so PagerDuty's own grouping matches Vouch's model.
 */
import { createHash } from 'node:crypto';
import type { DriftEvent } from '../../core/drift.js';
import type { ResultStatus, Severity } from '../../core/results.js';
import { evidenceSummary, headline, targetKey, targetLabel, transitionLabel, truncate } from '../describe.js';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';
export type PagerDutyAction = 'trigger' | 'resolve';

const SEVERITY_MAP: Record<Severity, PagerDutySeverity> = {
  high: 'critical',
  medium: 'error',
  low: 'warning',
  info: 'info',
  unknown: 'warning',
};

/** Statuses that open (or keep open) the incident, and those that close it. */
const TRIGGER_STATUSES: ReadonlySet<ResultStatus> = new Set(['fail', 'error']);
const RESOLVE_STATUSES: ReadonlySet<ResultStatus> = new Set(['pass', 'fixed', 'notapplicable']);

export function pagerDutySeverity(severity: Severity): PagerDutySeverity {
  return SEVERITY_MAP[severity];
}

/**
 * trigger for drift and error, resolve for resolved. A "changed" event follows its new status (error ->
 * pass closes what the error opened); statuses that say nothing about compliance (unknown, notchecked…)
 * return undefined: the channel sends nothing rather than guess.
 */
export function pagerDutyAction(event: DriftEvent): PagerDutyAction | undefined {
  if (event.kind === 'drift' || event.kind === 'error') return 'trigger';
  if (event.kind === 'resolved') return 'resolve';
  if (TRIGGER_STATUSES.has(event.status)) return 'trigger';
  if (RESOLVE_STATUSES.has(event.status)) return 'resolve';
  return undefined;
}

/** `vouch:<target>:<rule>`, hashed when longer than PagerDuty's 255-character limit. */
export function pagerDutyDedupKey(event: DriftEvent): string {
  const key = `vouch:${targetKey(event)}:${event.rule.id}`;
  if (key.length <= 255) return key;
  return `vouch:sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function pagerDutyEvent(
  event: DriftEvent,
  routingKey: string,
  action: PagerDutyAction,
): Record<string, unknown> {
  const base = { routing_key: routingKey, event_action: action, dedup_key: pagerDutyDedupKey(event) };
  // Resolve needs only the key; PagerDuty ignores a payload on resolve.
  if (action === 'resolve') return base;
  return {
    ...base,
    client: 'Vouch',
    payload: {
      summary: truncate(`${headline(event)} [${transitionLabel(event)}]`, 1024),
      source: targetLabel(event),
      severity: pagerDutySeverity(event.rule.severity),
      timestamp: event.timestamps.evaluatedAt,
      component: event.rule.id,
      group: event.target.kind,
      class: event.kind,
      custom_details: {
        event_id: event.id,
        rule: event.rule,
        target: event.target,
        previous_status: event.previousStatus,
        status: event.status,
        message: event.message,
        evidence: evidenceSummary(event.evidence, 20),
        trigger: event.trigger,
        timestamps: event.timestamps,
      },
    },
  };
}
