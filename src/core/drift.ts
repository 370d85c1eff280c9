/**
 * Drift events: a rule's status changed between two evaluations of the same target. Produced by
 * `vouch watch` (and later the agent), consumed by alert channels and by anything reading
 * `vouch watch --once-json` output. Plain JSON-serialisable data.
 */
import type { Evidence, ResultStatus, Severity } from './results.js';

/** drift: pass -> fail; resolved: fail -> pass; error: any -> error; changed: any other transition. */
export type DriftKind = 'drift' | 'resolved' | 'error' | 'changed';

export interface DriftEvent {
  /** Stable id of this event (dedupe key for channels: target + rule + transition + evaluatedAt). */
  id: string;
  kind: DriftKind;
  target: { kind: string; description: string; hostname?: string; labels?: Record<string, string> };
  rule: { id: string; title: string; severity: Severity; references: Record<string, string[]> };
  previousStatus: ResultStatus;
  status: ResultStatus;
  message: string;
  evidence: Evidence[];
  /** What triggered the re-evaluation: changed paths and/or fact keys (polled runtime facts). */
  trigger: { paths: string[]; facts: string[] };
  timestamps: {
    /** When the change was first seen (the first filesystem event or poll of the batch). */
    changeSeenAt: string;
    /** When the rule was re-evaluated. */
    evaluatedAt: string;
    /** When the alert was delivered (set by the channel that delivered it). */
    alertSentAt?: string;
  };
}

export function driftKind(previous: ResultStatus, next: ResultStatus): DriftKind {
  if (next === 'error') return 'error';
  if (previous === 'pass' && next === 'fail') return 'drift';
  if (previous === 'fail' && next === 'pass') return 'resolved';
  return 'changed';
}
