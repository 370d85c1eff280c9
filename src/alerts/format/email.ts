/**
 * Email bodies: a plain-text part for terminals and filters, an HTML part for mail clients. Every
 * event value is HTML-escaped (rule titles, evidence and file contents are not trusted markup), and the
 * subject is kept on one line so no header can be injected through it.
 */
import type { DriftEvent } from '../../core/drift.js';
import { escapeHtml } from '../../outputs/escape.js';
import {
  evidenceSummary,
  headline,
  kindLabel,
  targetLabel,
  transitionLabel,
  triggerLabel,
  truncate,
} from '../describe.js';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export function emailSubject(event: DriftEvent, prefix = '[Vouch]'): string {
  const subject = `${prefix} ${kindLabel(event.kind)} (${event.rule.severity}): ${event.rule.title} on ${targetLabel(event)}`;
  return truncate(subject.replace(/[\r\n\t]+/g, ' ').trim(), 250);
}

function rows(event: DriftEvent): Array<[string, string]> {
  return [
    ['Rule', `${event.rule.title} (${event.rule.id})`],
    ['Severity', event.rule.severity],
    ['Transition', transitionLabel(event)],
    ['Target', `${targetLabel(event)} (${event.target.kind}: ${event.target.description})`],
    ['Message', event.message],
    ['Trigger', triggerLabel(event)],
    ['Change seen', event.timestamps.changeSeenAt],
    ['Evaluated', event.timestamps.evaluatedAt],
    ['Event id', event.id],
  ];
}

export function emailContent(event: DriftEvent, subjectPrefix?: string): EmailContent {
  const evidence = evidenceSummary(event.evidence, 20);
  const fields = rows(event);
  const text = [
    headline(event),
    '',
    ...fields.map(([label, value]) => `${label}: ${value}`),
    '',
    'Evidence:',
    ...(evidence.length > 0 ? evidence.map((line) => `  - ${line}`) : ['  (none)']),
    '',
  ].join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif">',
    `<h2>${escapeHtml(headline(event))}</h2>`,
    '<table cellpadding="4">',
    ...fields.map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    '<h3>Evidence</h3>',
    evidence.length > 0
      ? `<ul>${evidence.map((line) => `<li><code>${escapeHtml(line)}</code></li>`).join('')}</ul>`
      : '<p>(none)</p>',
    '</body></html>',
  ].join('\n');
  return { subject: emailSubject(event, subjectPrefix), text, html };
}
