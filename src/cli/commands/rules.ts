/**
 * `vouch rules list|show`: search the rule store (being written; see issue 4).
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

export function registerRulesCommand(parent: Command): void {
  void parent;
  void VouchError;
}
