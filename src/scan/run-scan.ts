/**
 * One scan from start to end: load content, pick the profile, resolve variables, run the engine
 * against a target, and assemble the result document. The CLI, the benchmark and (later) the agent
 * all scan through here.
 */
import { hostname } from 'node:os';
import { createBuiltinRegistry } from '../checks/index.js';
import { createFactProvider } from '../collectors/index.js';
import { BUILTIN_CONTENT_DIR, defaultProfileFor } from '../content/builtin.js';
import { loadContentCached } from '../content/content-cache.js';
import type { Content } from '../content/loader.js';
import type { CheckTypeRegistry } from '../core/checks/registry.js';
import type { FactProvider } from '../core/engine/fact-provider.js';
import { type EngineScan, ScanEngine, type ScanProgress } from '../core/engine/scan-engine.js';
import { buildScanResult } from '../core/engine/scan-result.js';
import { VouchError } from '../core/errors.js';
import type { OsReleaseValue } from '../core/facts/fact-values.js';
import type { ScanResult } from '../core/results.js';
import { type ResolvedProfile, resolveProfile, selectorMatches } from '../core/rules/profile.js';
import type { Rule } from '../core/rules/rule.js';
import { parseVariableOverride, type VariableValue } from '../core/rules/variables.js';
import type { Transport } from '../targets/transport.js';
import { TOOL_VERSION } from '../version.js';

export interface ScanOptions {
  transport: Transport;
  contentDir?: string;
  /** Profile id; default: the profile matching the target's os-release. */
  profile?: string;
  /** Rule id / glob filters (applied within the profile). */
  rules?: string[];
  /** `name=value` overrides. */
  vars?: string[];
  onProgress?: (progress: ScanProgress) => void;
  concurrency?: number;
  /** Where validated content is cached; null disables the cache (default: ~/.cache/vouch). */
  cacheDir?: string | null;
}

export interface ScanSession {
  content: Content;
  profile: ResolvedProfile | null;
  selected: Rule[];
  variables: Map<string, VariableValue>;
  engine: ScanEngine;
  provider: FactProvider;
  registry: CheckTypeRegistry;
  loadMs: number;
  target: ScanResult['target'];
}

/** Prepares everything a scan needs; `scanOnce` (or repeated `rescan`s) then run it. */
export async function openScanSession(options: ScanOptions): Promise<ScanSession> {
  const loadStart = performance.now();
  const registry = createBuiltinRegistry();
  const content = await loadContentCached(options.contentDir ?? BUILTIN_CONTENT_DIR, {
    registry,
    toolVersion: TOOL_VERSION,
    cacheDir: options.cacheDir,
  });
  const provider = createFactProvider(options.transport);

  const osFact = await provider.collect({ kind: 'os-release' });
  const os: OsReleaseValue | undefined = osFact.status === 'ok' ? osFact.value : undefined;

  let profileId = options.profile;
  if (!profileId) {
    const chosen = os ? defaultProfileFor(content.profiles.values(), os) : undefined;
    if (!chosen && !options.rules?.length) {
      const known = [...content.profiles.keys()].sort().join(', ');
      const seen = os ? `${os.prettyName || `${os.id} ${os.versionId}`}` : 'an unknown OS (no os-release)';
      throw new VouchError(
        'NO_DEFAULT_PROFILE',
        `no profile matches ${seen}; choose one with --profile (known: ${known})`,
      );
    }
    profileId = chosen?.id;
  }
  const profile = profileId
    ? resolveProfile(profileId, content.profiles, content.rules, content.variables)
    : null;

  let selected = profile
    ? content.rules.filter((rule) => profile.ruleIds.includes(rule.id))
    : [...content.rules];
  if (options.rules?.length) {
    const filters = options.rules;
    selected = selected.filter((rule) => filters.some((filter) => selectorMatches(filter, rule)));
    if (selected.length === 0) {
      throw new VouchError(
        'NO_RULES_SELECTED',
        `--rule ${filters.join(', ')}: matches no rule${profile ? ` of profile ${profile.profile.id}` : ''}`,
      );
    }
  }

  const variables = new Map<string, VariableValue>();
  for (const [name, definition] of content.variables) variables.set(name, definition.default);
  for (const [name, value] of profile?.variables ?? []) variables.set(name, value);
  for (const text of options.vars ?? []) {
    const [name, value] = parseVariableOverride(text, content.variables);
    variables.set(name, value);
  }

  const engine = new ScanEngine({
    registry,
    provider,
    concurrency: options.concurrency,
    onProgress: options.onProgress,
  });
  const target: ScanResult['target'] = {
    kind: options.transport.kind,
    description: options.transport.description,
    ...(options.transport.kind === 'local' ? { hostname: hostname() } : {}),
    ...(os ? { os: os.prettyName || `${os.id} ${os.versionId}` } : {}),
  };
  return {
    content,
    profile,
    selected,
    variables,
    engine,
    provider,
    registry,
    loadMs: performance.now() - loadStart,
    target,
  };
}

/** Runs (or re-runs, incrementally) the session's scan and builds the result document. */
export async function runSessionScan(
  session: ScanSession,
): Promise<{ result: ScanResult; scan: EngineScan }> {
  const startedAt = new Date();
  const scan = await session.engine.scan({ rules: session.selected, variables: session.variables });
  const finishedAt = new Date();
  const result = buildScanResult({
    scan,
    rules: session.selected,
    toolVersion: TOOL_VERSION,
    target: session.target,
    profile: session.profile
      ? { id: session.profile.profile.id, title: session.profile.profile.title }
      : null,
    variables: session.variables,
    definitions: session.content.variables,
    startedAt,
    finishedAt,
    loadMs: session.loadMs,
  });
  return { result, scan };
}

export { TOOL_VERSION };
