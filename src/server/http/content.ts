/**
 * The built-in rule content as the API serves it: loaded once per server (from the validated
 * content cache), searched in memory. Scan configurations validate their variable overrides
 * against the definitions of the variables their profile's rules use.
 */
import { createBuiltinRegistry } from '../../checks/index.js';
import { BUILTIN_CONTENT_DIR } from '../../content/builtin.js';
import { loadContentCached } from '../../content/content-cache.js';
import type { Content } from '../../content/loader.js';
import { type ResolvedProfile, resolveProfile } from '../../core/rules/profile.js';
import type { Rule } from '../../core/rules/rule.js';
import {
  type VariableDefinition,
  type VariableValue,
  variableValueProblem,
} from '../../core/rules/variables.js';
import { TOOL_VERSION } from '../../scan/run-scan.js';
import { HttpError } from './errors.js';

export interface ContentOptions {
  contentDir?: string;
  /** Validated-content cache; null disables it (default: the CLI's ~/.cache/vouch). */
  cacheDir?: string | null;
}

export class ContentCatalogue {
  private loading: Promise<Content> | undefined;
  private readonly resolved = new Map<string, ResolvedProfile>();

  constructor(readonly options: ContentOptions = {}) {}

  get dir(): string {
    return this.options.contentDir ?? BUILTIN_CONTENT_DIR;
  }

  content(): Promise<Content> {
    this.loading ??= loadContentCached(this.dir, {
      registry: createBuiltinRegistry(),
      toolVersion: TOOL_VERSION,
      ...(this.options.cacheDir !== undefined ? { cacheDir: this.options.cacheDir } : {}),
    }).catch((err) => {
      this.loading = undefined;
      throw err;
    });
    return this.loading;
  }

  /** The profile with its rules resolved; an unknown id is a 400 naming `field`. */
  async profile(id: string, field = 'profileId'): Promise<ResolvedProfile> {
    const content = await this.content();
    const cached = this.resolved.get(id);
    if (cached) return cached;
    if (!content.profiles.has(id)) {
      const known = [...content.profiles.keys()].sort().join(', ');
      throw new HttpError(400, 'invalid', `${field}: unknown profile "${id}" (known: ${known})`);
    }
    const resolved = resolveProfile(id, content.profiles, content.rules, content.variables);
    this.resolved.set(id, resolved);
    return resolved;
  }

  /** Definitions of the variables the profile's rules use, with the profile's own values as defaults. */
  async profileVariables(id: string): Promise<Array<VariableDefinition & { value: VariableValue }>> {
    const content = await this.content();
    const profile = await this.profile(id);
    const selected = new Set(profile.ruleIds);
    const names = new Set<string>();
    for (const rule of content.rules) if (selected.has(rule.id)) for (const v of rule.variables) names.add(v);
    return [...names].sort().flatMap((name) => {
      const def = content.variables.get(name);
      return def ? [{ ...def, value: profile.variables.get(name) ?? def.default }] : [];
    });
  }

  /**
   * Check overrides against the profile's variables: unknown names and values outside their
   * constraints are a 400 naming `variables.<name>`. Returns the sensitive ones apart.
   */
  async checkOverrides(
    profileId: string,
    overrides: Record<string, VariableValue>,
  ): Promise<{ plain: Record<string, VariableValue>; sensitive: Record<string, VariableValue> }> {
    const defs = new Map((await this.profileVariables(profileId)).map((d) => [d.name, d]));
    const plain: Record<string, VariableValue> = {};
    const sensitive: Record<string, VariableValue> = {};
    for (const [name, value] of Object.entries(overrides)) {
      const def = defs.get(name);
      if (!def) {
        throw new HttpError(400, 'invalid', `variables.${name}: not a variable of profile "${profileId}"`);
      }
      const problem = variableValueProblem(def, value);
      if (problem) throw new HttpError(400, 'invalid', `variables.${name}: ${problem}`);
      (def.sensitive ? sensitive : plain)[name] = value;
    }
    return { plain, sensitive };
  }

  async sensitiveNames(): Promise<string[]> {
    const content = await this.content();
    return [...content.variables.values()].filter((v) => v.sensitive).map((v) => v.name);
  }

  async rules(filter: {
    q?: string;
    framework?: string;
    profileId?: string;
    severity?: string;
  }): Promise<Rule[]> {
    const content = await this.content();
    const inProfile = filter.profileId ? new Set((await this.profile(filter.profileId)).ruleIds) : undefined;
    const q = filter.q?.toLowerCase();
    return content.rules.filter(
      (rule) =>
        (q === undefined || rule.id.includes(q) || rule.title.toLowerCase().includes(q)) &&
        (filter.framework === undefined || (rule.references[filter.framework]?.length ?? 0) > 0) &&
        (filter.severity === undefined || rule.severity === filter.severity) &&
        (inProfile === undefined || inProfile.has(rule.id)),
    );
  }
}
