/**
 * `vouch tailor`: write an XCCDF 1.2 tailoring file (being written; see issue 4).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

export function registerTailorCommand(parent: Command): void {
  void parent;
  void VouchError;
}
