/**
 * A Vouch scan result (`vouch scan --datastream ... --format json`) as input to fix generation. It
 * records the profile, each rule's result and the Values its OVAL checks used, but not the data
 * stream or tailoring file it came from, so those are given again on the command line and the
 * result is checked against them: every rule it reports must be one the profile selects.
 */
import { readFile } from 'node:fs/promises';
import { VouchError } from '../../core/errors.js';
import { RESULT_STATUSES, type ResultStatus, SCAN_RESULT_SCHEMA } from '../../core/results.js';
import { SENSITIVE_MASK } from '../../core/rules/sensitive.js';
import type { XccdfRule } from '../model/xccdf.js';

export interface ScanForFix {
  path: string;
  profileId: string;
  /** Rule id -> result, in the result's order. */
  statuses: Map<string, ResultStatus>;
  /** Value id -> value as the scan used it (masked values left out). */
  variables: Map<string, string>;
  /** Value ids the result shows masked: their value is not in the file. */
  masked: string[];
  target: string;
  finishedAt: string;
}

export async function readScanForFix(path: string): Promise<ScanForFix> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new VouchError('BAD_SCAN_RESULT', `--scan ${path}: not a readable JSON file (${why})`);
  }
  const bad = (field: string, problem: string): VouchError =>
    new VouchError('BAD_SCAN_RESULT', `--scan ${path}: ${field} ${problem}`);
  if (!isObject(data)) throw bad('(root)', 'is not a JSON object');
  if (data.schema !== SCAN_RESULT_SCHEMA) {
    throw bad(
      'schema',
      `is ${JSON.stringify(data.schema)}, expected "${SCAN_RESULT_SCHEMA}" (vouch scan --format json)`,
    );
  }
  const profile = data.profile;
  if (!isObject(profile) || typeof profile.id !== 'string') {
    throw bad('profile.id', 'is missing: fix generation needs the profile the scan evaluated');
  }
  if (!Array.isArray(data.results)) throw bad('results', 'is not an array');
  const statuses = new Map<string, ResultStatus>();
  data.results.forEach((r: unknown, i: number) => {
    if (!isObject(r) || typeof r.ruleId !== 'string') throw bad(`results[${i}].ruleId`, 'is missing');
    if (!(RESULT_STATUSES as readonly unknown[]).includes(r.status)) {
      throw bad(`results[${i}].status`, `is ${JSON.stringify(r.status)}, not an XCCDF result`);
    }
    statuses.set(r.ruleId, r.status as ResultStatus);
  });
  const variables = new Map<string, string>();
  const masked: string[] = [];
  if (data.variables !== undefined && !isObject(data.variables)) throw bad('variables', 'is not an object');
  for (const [id, value] of Object.entries(data.variables ?? {})) {
    if (value === SENSITIVE_MASK) masked.push(id);
    else variables.set(id, String(value));
  }
  const target =
    isObject(data.target) && typeof data.target.description === 'string' ? data.target.description : '';
  const finishedAt = typeof data.finishedAt === 'string' ? data.finishedAt : '';
  return { path, profileId: profile.id, statuses, variables, masked, target, finishedAt };
}

/**
 * The scan's rules must all be rules the profile selects: a result of another data stream (or
 * another profile) names rules this one does not have, and fixing by it would fix the wrong things.
 */
export function checkScanMatches(scan: ScanForFix, selected: readonly XccdfRule[], scope: string): void {
  const ids = new Set(selected.map((r) => r.id));
  let i = 0;
  for (const ruleId of scan.statuses.keys()) {
    if (!ids.has(ruleId)) {
      throw new VouchError(
        'SCAN_MISMATCH',
        `--scan ${scan.path}: results[${i}].ruleId ${ruleId} is not selected by ${scope}: the scan result comes from another data stream or profile`,
      );
    }
    i++;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
