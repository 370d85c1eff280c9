/**
 * ArcSight Common Event Format (CEF:0) for SIEMs. Header fields escape `\` and `|`; extension values
 * escape `\` and `=` and encode line breaks as `\n` / `\r`, which is all the CEF spec (Implementing
 * ArcSight CEF, rev. 25) asks for. Extension keys are fixed here, never taken from the event.
 */
import type { DriftEvent } from '../../core/drift.js';
import type { Severity } from '../../core/results.js';
import { evidenceSummary, truncate } from '../describe.js';
import { VOUCH_VERSION } from '../version.js';

export function escapeCefHeader(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

export function escapeCefValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/=/g, '\\=')
    .replace(/\r\n|\n/g, '\\n')
    .replace(/\r/g, '\\r');
}

const CEF_SEVERITY: Record<Severity, number> = { unknown: 5, info: 2, low: 3, medium: 6, high: 8 };

/** 0-10 per CEF; a resolved event is good news whatever the rule's severity, so it maps to 1. */
export function cefSeverity(event: DriftEvent): number {
  return event.kind === 'resolved' ? 1 : CEF_SEVERITY[event.rule.severity];
}

/** ArcSight truncates custom strings past 4000 characters; stay well under so nothing is cut silently. */
const MAX_VALUE = 1023;

function epochMs(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : String(ms);
}

export function cefExtensions(event: DriftEvent): Array<[string, string]> {
  const ext: Array<[string, string | undefined]> = [
    ['rt', epochMs(event.timestamps.evaluatedAt)],
    ['start', epochMs(event.timestamps.changeSeenAt)],
    ['externalId', event.id],
    ['cat', event.kind],
    ['outcome', event.status],
    ['dhost', event.target.hostname],
    ['msg', event.message],
    ['filePath', event.trigger.paths[0]],
    ['cs1Label', 'previousStatus'],
    ['cs1', event.previousStatus],
    ['cs2Label', 'target'],
    ['cs2', `${event.target.kind}: ${event.target.description}`],
    ['cs3Label', 'evidence'],
    ['cs3', evidenceSummary(event.evidence, 3).join('; ')],
    ['cs4Label', 'triggerFacts'],
    ['cs4', event.trigger.facts.join(',')],
    ['cs5Label', 'references'],
    [
      'cs5',
      Object.entries(event.rule.references)
        .map(([framework, ids]) => `${framework}:${ids.join(',')}`)
        .join(' '),
    ],
    ['cs6Label', 'labels'],
    [
      'cs6',
      Object.entries(event.target.labels ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    ],
  ];
  return ext.filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '');
}

export function cefMessage(event: DriftEvent): string {
  const header = [
    'CEF:0',
    'Vouch',
    'Vouch',
    escapeCefHeader(VOUCH_VERSION),
    escapeCefHeader(event.rule.id),
    escapeCefHeader(truncate(event.rule.title, 512)),
    String(cefSeverity(event)),
  ].join('|');
  // Labels without their value are noise; drop a csNLabel whose csN was dropped.
  const pairs = cefExtensions(event);
  const present = new Set(pairs.map(([k]) => k));
  const extension = pairs
    .filter(([key]) => !key.endsWith('Label') || present.has(key.slice(0, -'Label'.length)))
    .map(([key, value]) => `${key}=${escapeCefValue(truncate(value, MAX_VALUE))}`)
    .join(' ');
  return `${header}|${extension}`;
}
