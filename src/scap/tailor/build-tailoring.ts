/**
 * `vouch tailor`: turns a base profile and the user's overrides into an XCCDF 1.2 Tailoring
 * (model only; src/scap/xccdf/write-tailoring.ts serialises it). Every name is resolved and every
 * value validated here, before anything is written, so a bad flag never leaves a file behind.
 *
 * Conventions follow autotailor and SCAP Workbench:
 * - the new profile `extends` the base profile and holds only the differences (select, set-value);
 * - its default name is `<base>_customized`, its default title `<base title> [CUSTOMIZED]`;
 * - ids are `xccdf_<ns>_tailoring_<name>` and `xccdf_<ns>_profile_<name>`, `<ns>` taken from the
 *   benchmark's own ids (oscap 1.3.7 rejects ids outside that grammar);
 * - with a base tailoring file (`--tailoring`), its profiles are kept; when the base profile is one
 *   of them it is edited in place (Workbench's "save"): its content is copied, overrides replace
 *   entries for the same idref, and the tailoring keeps its id with the version incremented.
 */
import { VouchError } from '../../core/errors.js';
import type { XccdfBenchmark, XccdfProfile, XccdfSelect } from '../model/xccdf.js';
import {
  type ScapVariable,
  scapVariableOf,
  splitAssignment,
  validateScapVariable,
} from '../variables/typed-variable.js';
import type { XccdfTailoring } from '../xccdf/parse-benchmark.js';
import { findProfile, shortProfileId } from '../xccdf/profile-id.js';
import { resolveProfile } from '../xccdf/resolve-profile.js';
import { applyTailoring } from '../xccdf/tailoring.js';
import { findSelectable, findVariable, shortItemId } from './lookup.js';
import { sensitiveAware, valueIdsOfRule } from './profile-variables.js';

export interface TailorRequest {
  benchmark: XccdfBenchmark;
  /** `--tailoring`: an existing tailoring to start from. */
  base?: XccdfTailoring | undefined;
  /** Base profile, full or short id (a benchmark profile or one of the base tailoring's). */
  profile: string;
  /** `name=value` (`--var`). */
  vars?: readonly string[];
  select?: readonly string[];
  deselect?: readonly string[];
  /** `--id`: the name part of the new ids, or a full `xccdf_<ns>_profile_<name>` id. */
  name?: string | undefined;
  title?: string | undefined;
  /** `<benchmark href>`: where the content is (informational for oscap). */
  benchmarkHref: string;
  /** Ids or short names marked sensitive beyond the name heuristic. */
  sensitive?: ReadonlySet<string>;
  /** `<version time>`; injectable for stable tests. */
  time?: Date;
}

export interface TailoringDocument {
  id: string;
  version: string;
  /** xsd:dateTime, seconds precision, UTC. */
  time: string;
  benchmarkHref: string;
  profiles: XccdfProfile[];
}

export interface SetValueReport {
  variable: ScapVariable;
  value: string;
}

export interface TailorOutcome {
  document: TailoringDocument;
  /** The profile written (full id). */
  profileId: string;
  setValues: SetValueReport[];
  /** Things worth telling the user that do not stop the run (never containing a sensitive value). */
  warnings: string[];
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export function buildTailoring(request: TailorRequest): TailorOutcome {
  const { benchmark, base } = request;
  const marks = request.sensitive ?? new Set<string>();
  const warnings: string[] = [];
  // The base profile is looked up where oscap would find it: the benchmark plus the base tailoring.
  const tailored = base ? applyTailoring(benchmark, base) : benchmark;
  const baseProfile = findProfile(tailored, request.profile);
  const editing = base?.profiles.find((p) => p.id === baseProfile.id);

  const ns = namespaceOf(benchmark);
  const profileId = newProfileId(request.name, baseProfile, editing, ns);
  if (benchmark.profiles.some((p) => p.id === profileId)) {
    throw new VouchError(
      'BAD_OPTION',
      `--id ${request.name ?? shortProfileId(profileId)}: the benchmark already has profile ${profileId}; choose another name`,
    );
  }

  const selects = selectsOf(benchmark, request.select ?? [], request.deselect ?? []);
  const setValues = setValuesOf(benchmark, request.vars ?? [], marks);

  const profile: XccdfProfile = editing
    ? {
        ...editing,
        id: profileId,
        title: request.title ?? (profileId === editing.id ? editing.title : customizedTitle(editing)),
        selects: merge(editing.selects, selects),
        setValues: merge(
          editing.setValues,
          setValues.map((s) => ({ idref: s.variable.id, value: s.value })),
        ),
        // A set-value replaces a refine-value for the same Value (XCCDF: set-value wins anyway).
        refineValues: editing.refineValues.filter((r) => !setValues.some((s) => s.variable.id === r.idref)),
      }
    : {
        id: profileId,
        title: request.title ?? customizedTitle(baseProfile),
        description: undefined,
        extends: baseProfile.id,
        abstract: false,
        platforms: [],
        selects,
        refineValues: [],
        setValues: setValues.map((s) => ({ idref: s.variable.id, value: s.value })),
        refineRules: [],
      };
  const kept = (base?.profiles ?? []).filter((p) => p.id !== profile.id);
  const name = /_profile_(.+)$/.exec(profileId)?.[1] ?? profileId;
  const document: TailoringDocument = {
    id: base?.id || `xccdf_${ns}_tailoring_${name}`,
    version: base ? nextVersion(base.version) : '1',
    time: (request.time ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
    benchmarkHref: request.benchmarkHref,
    profiles: [...kept, profile],
  };

  checkEffect(benchmark, document, profile, selects, setValues, warnings);
  return { document, profileId, setValues, warnings };
}

/** `org.ssgproject.content` from `xccdf_org.ssgproject.content_benchmark_UBUNTU_22_04`. */
export function namespaceOf(benchmark: XccdfBenchmark): string {
  for (const id of [benchmark.id, ...benchmark.profiles.map((p) => p.id), ...benchmark.rules.keys()]) {
    const ns = /^xccdf_([^_]+)_/.exec(id)?.[1];
    if (ns) return ns;
  }
  return 'vouch';
}

function newProfileId(
  name: string | undefined,
  baseProfile: XccdfProfile,
  editing: XccdfProfile | undefined,
  ns: string,
): string {
  if (name === undefined) {
    return editing ? editing.id : `xccdf_${ns}_profile_${shortProfileId(baseProfile.id)}_customized`;
  }
  if (/^xccdf_[^_]+_profile_[A-Za-z0-9_.-]+$/.test(name)) return name;
  if (!NAME.test(name)) {
    throw new VouchError(
      'BAD_OPTION',
      `--id ${JSON.stringify(name)}: use letters, digits, '_', '.' and '-' (it becomes xccdf_${ns}_profile_<name>)`,
    );
  }
  return `xccdf_${ns}_profile_${name}`;
}

function customizedTitle(profile: XccdfProfile): string {
  const title = profile.title ?? shortProfileId(profile.id);
  // A copy of an already customized profile keeps one marker, not two.
  return title.endsWith(' [CUSTOMIZED]') ? title : `${title} [CUSTOMIZED]`;
}

function nextVersion(version: string | undefined): string {
  const n = Number(version);
  return Number.isInteger(n) && n >= 0 ? String(n + 1) : '1';
}

/** Later entries for the same idref replace earlier ones (XCCDF: the last one wins anyway). */
function merge<T extends { idref: string }>(existing: readonly T[], overrides: readonly T[]): T[] {
  const replaced = new Set(overrides.map((o) => o.idref));
  return [...existing.filter((e) => !replaced.has(e.idref)), ...overrides];
}

function selectsOf(
  benchmark: XccdfBenchmark,
  select: readonly string[],
  deselect: readonly string[],
): XccdfSelect[] {
  const out = new Map<string, { selected: boolean; flag: string; name: string }>();
  const add = (names: readonly string[], selected: boolean, flag: string) => {
    for (const name of names) {
      const item = findSelectable(benchmark, name, flag);
      const previous = out.get(item.id);
      if (previous && previous.selected !== selected) {
        throw new VouchError(
          'BAD_OPTION',
          `${flag} ${name}: ${shortItemId(item.id)} is also given to ${previous.flag}; give it once`,
        );
      }
      out.set(item.id, { selected, flag, name });
    }
  };
  add(select, true, '--select');
  add(deselect, false, '--deselect');
  return [...out].map(([idref, s]) => ({ idref, selected: s.selected }));
}

function setValuesOf(
  benchmark: XccdfBenchmark,
  vars: readonly string[],
  marks: ReadonlySet<string>,
): SetValueReport[] {
  const out = new Map<string, SetValueReport>();
  for (const text of vars) {
    const [name, raw] = splitAssignment(text, '--var');
    const variable = sensitiveAware(scapVariableOf(findVariable(benchmark, name, '--var')), marks);
    // Report the name as typed (short or full): that is what the user will look for.
    validateScapVariable({ ...variable, name }, raw, '--var');
    // The last --var for a Value wins, as repeated set-values do in oscap.
    out.set(variable.id, { variable, value: raw });
  }
  return [...out.values()];
}

/**
 * Resolves the written profile the way `vouch scan --tailoring` will, so a select that a
 * deselected Group masks, or a Value no selected rule reads, is reported rather than silently
 * ineffective.
 */
function checkEffect(
  benchmark: XccdfBenchmark,
  document: TailoringDocument,
  profile: XccdfProfile,
  selects: readonly XccdfSelect[],
  setValues: readonly SetValueReport[],
  warnings: string[],
): void {
  const asLoaded: XccdfTailoring = {
    id: document.id,
    benchmarkHref: document.benchmarkHref,
    version: document.version,
    profiles: document.profiles,
    unknown: [],
  };
  const resolved = resolveProfile(applyTailoring(benchmark, asLoaded), profile.id);
  const selected = new Set(resolved.selectedRules.map((r) => r.id));
  for (const s of selects) {
    if (s.selected && benchmark.rules.has(s.idref) && !selected.has(s.idref)) {
      warnings.push(
        `--select ${shortItemId(s.idref)}: stays unselected because a Group containing it is deselected`,
      );
    }
  }
  const used = new Set(resolved.selectedRules.flatMap((r) => [...valueIdsOfRule(r)]));
  for (const s of setValues) {
    if (!used.has(s.variable.id)) {
      warnings.push(`--var ${s.variable.name}: no selected rule of the profile uses this variable`);
    }
  }
}
