/**
 * `vouch content generate`: build a SCAP 1.3 source data stream from the rule store (being written; see issue 4).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

export function registerContentGenerate(parent: Command): void {
  void parent;
  void VouchError;
}
