/**
 * Kinds of targets. A check type declares which it supports; the engine reports
 * `notchecked` for a rule whose check cannot run on the scan's target kind.
 * `local`, `ssh` and `agent` are live hosts; `root` is an offline root directory.
 */
export const TARGET_KINDS = ['local', 'root', 'ssh', 'agent'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const HOST_TARGET_KINDS: readonly TargetKind[] = TARGET_KINDS;
