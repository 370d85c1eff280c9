/**
 * Public API of the rule store (docs/rule-store.md). Other features open the store and read
 * sources, profiles, rules and typed variables; `importIntoStore` is what `vouch content import` runs.
 */
export { resolveStoreDir } from './files.js';
export { FIX_SYSTEM, shortRuleId } from './from-datastream.js';
export { deriveSourceId, type ImportOptions, importIntoStore } from './import.js';
export { controlMatches, FRAMEWORKS, frameworkTitle } from './references.js';
export { openRuleStore, type RuleFilter, type RuleStore } from './rule-store.js';
export type * from './types.js';
