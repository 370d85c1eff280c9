/**
 * `vouch fix generate`: remediation scripts from SCAP content or a scan result (being written; see issue 4).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

export function registerFixCommand(parent: Command): void {
  void parent;
  void VouchError;
}
