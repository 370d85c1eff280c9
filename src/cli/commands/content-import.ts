/**
 * `vouch content import <file>`: import a SCAP data stream or ComplianceAsCode rule directories into the rule store (being written; see issue 4).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

export function registerContentImport(parent: Command): void {
  void parent;
  void VouchError;
}
