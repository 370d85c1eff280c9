/**
 * Suppresses repeated events within a window: the same event id, or the same target + rule +
 * transition as the last one delivered for that target and rule. Comparing with the *last* transition
 * (not any recent one) matters: for a flapping rule (drift, resolved, drift) every event is new
 * information, and suppressing the second drift would leave receivers believing the rule passes.
 */
import type { DriftEvent } from '../core/drift.js';
import { targetKey } from './describe.js';

/** Hard cap on remembered keys so a storm of distinct events cannot grow memory without bound. */
const MAX_ENTRIES = 50_000;

export class Deduplicator {
  private readonly ids = new Map<string, number>();
  private readonly lastTransition = new Map<string, { transition: string; expiresAt: number }>();
  private checks = 0;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when `event` repeats one seen within the window; otherwise remembers it and returns false. */
  isDuplicate(event: DriftEvent): boolean {
    if (this.windowMs <= 0) return false;
    const now = this.now();
    if (++this.checks % 256 === 0) this.prune(now);
    const idExpiry = this.ids.get(event.id);
    if (idExpiry !== undefined && idExpiry > now) return true;
    const key = `${targetKey(event)}\u0000${event.rule.id}`;
    const transition = `${event.previousStatus}->${event.status}`;
    const last = this.lastTransition.get(key);
    if (last && last.expiresAt > now && last.transition === transition) return true;
    this.remember(this.ids, event.id, now + this.windowMs);
    this.lastTransition.delete(key);
    this.remember(this.lastTransition, key, { transition, expiresAt: now + this.windowMs });
    return false;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    // Maps iterate in insertion order, so the first key is the oldest.
    if (map.size > MAX_ENTRIES) {
      const oldest = map.keys().next();
      if (!oldest.done) map.delete(oldest.value);
    }
  }

  private prune(now: number): void {
    for (const [id, expiresAt] of this.ids) if (expiresAt <= now) this.ids.delete(id);
    for (const [key, entry] of this.lastTransition)
      if (entry.expiresAt <= now) this.lastTransition.delete(key);
  }
}
