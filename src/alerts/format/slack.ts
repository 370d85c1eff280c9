/**
 * Slack incoming-webhook messages: `text` for notifications and clients without Block Kit, `blocks`
 * for the channel view. Slack's mrkdwn treats &, < and > as control characters, so every value from
 * the event is escaped; block texts are cut to Slack's limits (header 150, section 3000 characters).
 */
import type { DriftEvent } from '../../core/drift.js';
import {
  evidenceSummary,
  headline,
  kindLabel,
  targetLabel,
  transitionLabel,
  triggerLabel,
  truncate,
} from '../describe.js';

export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const KIND_EMOJI: Record<DriftEvent['kind'], string> = {
  drift: ':rotating_light:',
  resolved: ':white_check_mark:',
  error: ':warning:',
  changed: ':information_source:',
};

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function slackMessage(event: DriftEvent): SlackMessage {
  const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: truncate(text, 3000) });
  const evidence = evidenceSummary(event.evidence);
  const blocks: Array<Record<string, unknown>> = [
    {
      type: 'header',
      text: { type: 'plain_text', text: truncate(`${kindLabel(event.kind)}: ${event.rule.title}`, 150) },
    },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Rule*\n\`${escapeSlack(event.rule.id)}\``),
        mrkdwn(`*Severity*\n${escapeSlack(event.rule.severity)}`),
        mrkdwn(`*Transition*\n${escapeSlack(transitionLabel(event))}`),
        mrkdwn(`*Target*\n${escapeSlack(targetLabel(event))}`),
      ],
    },
    { type: 'section', text: mrkdwn(escapeSlack(event.message || '(no message)')) },
  ];
  if (evidence.length > 0) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`*Evidence*\n${evidence.map((line) => `• ${escapeSlack(line)}`).join('\n')}`),
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      mrkdwn(
        escapeSlack(
          `Trigger: ${triggerLabel(event)} · evaluated ${event.timestamps.evaluatedAt} · id ${event.id}`,
        ),
      ),
    ],
  });
  return {
    text: `${KIND_EMOJI[event.kind]} ${escapeSlack(headline(event))} [${escapeSlack(event.rule.severity)}, ${escapeSlack(transitionLabel(event))}]`,
    blocks,
  };
}
