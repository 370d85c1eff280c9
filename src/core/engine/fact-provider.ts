/**
 * The engine's only window on a host. The collectors layer implements it on top of a target
 * transport; tests implement it over in-memory file maps. The core never imports an I/O module.
 */
import type { FactRequest } from '../facts/fact-request.js';
import type { FactResult } from '../facts/fact-result.js';
import type { TargetKind } from '../target-kind.js';

export interface FactProvider {
  readonly targetKind: TargetKind;
  /** Answers one request. Must not throw: failures are `{status: 'error'}` results. */
  collect(request: FactRequest): Promise<FactResult>;
  /** Current fingerprints of these paths (same format as FactSource.fingerprint), for cache revalidation. */
  fingerprint(paths: string[]): Promise<string[]>;
  /**
   * Bracket one collection pass. Between them a provider may share reads among the facts it
   * collects (every systemd unit's enablement comes from one listing of the .wants directories);
   * never across passes, because files change between scans.
   */
  beginPass?(): void;
  endPass?(): void;
}
