/**
 * The frame every collector runs in: it records the sources a fact was read from (with their
 * fingerprints, taken *before* reading so a change during the read makes the fact stale rather than
 * wrongly fresh), times the collection, and turns any exception into an `error` result.
 */
import { errorMessage } from '../core/errors.js';
import type { FactKind } from '../core/facts/fact-request.js';
import type { FactResult, FactSource } from '../core/facts/fact-result.js';
import type { FactValue } from '../core/facts/fact-values.js';
import { ABSENT } from '../targets/file-stat.js';
import type { Transport, TransportStat } from '../targets/transport.js';

/** Fingerprint of a path whose lstat failed for a reason other than absence (e.g. EACCES). */
export const UNREADABLE = 'unreadable';

/** Default limit for file text, and for files that must be read whole (databases, account files). */
export const MAX_TEXT_BYTES = 4 * 1024 * 1024;
export const MAX_DATABASE_BYTES = 64 * 1024 * 1024;

export type Outcome<K extends FactKind> =
  | { status: 'ok'; value: FactValue<K>; volatile?: boolean; ttlMs?: number }
  | { status: 'unavailable'; reason: string; volatile?: boolean }
  | { status: 'error'; message: string; volatile?: boolean };

/** Current fingerprint of one target path: `dev:ino:size:mtimeNs:ctimeNs`, `absent` or `unreadable`. */
export async function fingerprintPath(transport: Transport, path: string): Promise<string> {
  try {
    return (await transport.lstat(path))?.fingerprint ?? ABSENT;
  } catch {
    return UNREADABLE;
  }
}

export class SourceRecorder {
  private readonly sources = new Map<string, string>();

  constructor(readonly transport: Transport) {}

  /** lstat `path` and record it as a source. */
  async lstat(path: string): Promise<TransportStat | null> {
    try {
      const stats = await this.transport.lstat(path);
      this.add(path, stats?.fingerprint ?? ABSENT);
      return stats;
    } catch (error) {
      this.add(path, UNREADABLE);
      throw error;
    }
  }

  /**
   * Record `path` and, when it is a symlink, the file it resolves to (a retargeted link changes the
   * first fingerprint, a rewritten target the second). Returns the stat of the followed path, null
   * when missing or dangling.
   */
  async follow(path: string): Promise<TransportStat | null> {
    const stats = await this.lstat(path);
    if (stats?.type !== 'symlink') return stats;
    const real = await this.transport.realpath(path);
    if (real === null) return null;
    return this.lstat(real);
  }

  add(path: string, fingerprint: string): void {
    if (!this.sources.has(path)) this.sources.set(path, fingerprint);
  }

  list(): FactSource[] {
    return [...this.sources].map(([path, fingerprint]) => ({ path, fingerprint }));
  }
}

/**
 * Runs `body` as a collector: never throws, always reports sources and duration.
 */
export async function collect<K extends FactKind>(
  transport: Transport,
  body: (sources: SourceRecorder) => Promise<Outcome<K>>,
): Promise<FactResult<K>> {
  const start = performance.now();
  const sources = new SourceRecorder(transport);
  let outcome: Outcome<K>;
  try {
    outcome = await body(sources);
  } catch (error) {
    outcome = { status: 'error', message: errorMessage(error) };
  }
  const durationMs = performance.now() - start;
  // Errors are never cached: their cause (a permission, a timeout) need not show in any source's
  // fingerprint (chmod does not change mtime), so a cached error could outlive its cause.
  if (outcome.status === 'error') outcome = { ...outcome, volatile: true };
  return { ...outcome, sources: sources.list(), durationMs } as FactResult<K>;
}

/** The `unavailable` outcome of a runtime-only fact on a target without a running system. */
export function offline(transport: Transport, what: string): { status: 'unavailable'; reason: string } {
  return {
    status: 'unavailable',
    reason: `${what} is runtime state, not available on ${transport.description}`,
  };
}
