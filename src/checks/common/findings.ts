/**
 * Collects what a check looked at: evidence that satisfied the rule and evidence that did not, each
 * failure with a short reason, so the message is built from the same facts as the evidence.
 */
import type { Evidence } from '../../core/results.js';

export class Findings {
  readonly satisfied: Evidence[] = [];
  readonly problems: Evidence[] = [];
  readonly reasons: string[] = [];

  /** Records evidence; with a reason it is a problem (what is wrong, as a verb phrase). */
  add(evidence: Evidence, reason?: string | false | null): void {
    if (reason) {
      this.problems.push(evidence);
      this.reasons.push(reason);
    } else {
      this.satisfied.push(evidence);
    }
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }

  /** `a, b, and c` for a message. */
  reasonText(): string {
    return this.reasons.join(', and ');
  }
}
