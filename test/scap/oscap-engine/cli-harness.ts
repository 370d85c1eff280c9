/** Runs the CLI in-process with stdout/stderr captured (and optional environment overrides). */
import { vi } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { RuleResult, ScanResult } from '../../../src/core/results.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function vouch(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    vi.restoreAllMocks();
  }
}

export async function vouchJson(args: string[], env?: Record<string, string | undefined>) {
  const run = await vouch([...args, '--format', 'json'], env);
  if (run.code === 1) throw new Error(`vouch ${args.join(' ')} failed: ${run.stderr}`);
  return { code: run.code, result: JSON.parse(run.stdout) as ScanResult, stderr: run.stderr };
}

/** What two engines must agree on, per rule. */
export function verdicts(result: ScanResult): Map<string, Pick<RuleResult, 'status' | 'title' | 'severity'>> {
  return new Map(
    result.results.map((r) => [r.ruleId, { status: r.status, title: r.title, severity: r.severity }]),
  );
}

export const engineOf = (r: RuleResult) =>
  r.evidence[0]?.source === 'engine' ? r.evidence[0].resource : undefined;
