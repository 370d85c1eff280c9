/**
 * Parsing systemctl output into what oscap reads over D-Bus (org.freedesktop.systemd1).
 *
 * Mapping (oscap -> systemctl, argv only):
 * - Manager.ListUnits (every loaded unit)  -> `systemctl list-units --all --full --plain --no-legend --no-pager`
 * - Unit.GetAll on org.freedesktop.systemd1.Unit -> `systemctl show --all --no-pager UNIT`, filtered to
 *   that interface's properties; arrays become one value per element, booleans `yes`/`no` become
 *   oscap's `true`/`false`.
 * - Unit Requires/Wants, recursing into targets -> `systemctl show --property=Requires --property=Wants`.
 * Known gaps: timestamps and durations are printed human-readable by systemctl where D-Bus gives
 * microseconds; struct properties (Conditions, Asserts, Job, LoadError, ActivationDetails) are skipped.
 */

/** Properties of the org.freedesktop.systemd1.Unit interface (systemd 252). */
const UNIT_PROPERTIES = new Set(
  `Id Names Following Requires Requisite Wants BindsTo PartOf Upholds RequiredBy RequisiteOf WantedBy
  BoundBy UpheldBy ConsistsOf Conflicts ConflictedBy Before After OnSuccess OnSuccessOf OnFailure OnFailureOf
  Triggers TriggeredBy PropagatesReloadTo ReloadPropagatedFrom PropagatesStopTo StopPropagatedFrom
  JoinsNamespaceOf SliceOf RequiresMountsFor Documentation Description AccessSELinuxContext LoadState
  ActiveState FreezerState SubState FragmentPath SourcePath DropInPaths UnitFileState UnitFilePreset
  StateChangeTimestamp StateChangeTimestampMonotonic InactiveExitTimestamp InactiveExitTimestampMonotonic
  ActiveEnterTimestamp ActiveEnterTimestampMonotonic ActiveExitTimestamp ActiveExitTimestampMonotonic
  InactiveEnterTimestamp InactiveEnterTimestampMonotonic CanStart CanStop CanReload CanIsolate CanClean
  CanFreeze StopWhenUnneeded RefuseManualStart RefuseManualStop AllowIsolate DefaultDependencies
  SurviveFinalKillSignal OnSuccessJobMode OnFailureJobMode IgnoreOnIsolate NeedDaemonReload Markers
  JobTimeoutUSec JobRunningTimeoutUSec JobTimeoutAction JobTimeoutRebootArgument ConditionResult
  AssertResult ConditionTimestamp ConditionTimestampMonotonic AssertTimestamp AssertTimestampMonotonic
  Transient Perpetual StartLimitIntervalUSec StartLimitBurst StartLimitAction FailureAction
  FailureActionExitStatus SuccessAction SuccessActionExitStatus RebootArgument InvocationID CollectMode
  Refs`.split(/\s+/),
);

/** Unit properties whose D-Bus type is an array of strings. */
const ARRAY_PROPERTIES = new Set(
  `Names Requires Requisite Wants BindsTo PartOf Upholds RequiredBy RequisiteOf WantedBy BoundBy UpheldBy
  ConsistsOf Conflicts ConflictedBy Before After OnSuccess OnSuccessOf OnFailure OnFailureOf Triggers
  TriggeredBy PropagatesReloadTo ReloadPropagatedFrom PropagatesStopTo StopPropagatedFrom JoinsNamespaceOf
  RequiresMountsFor Documentation DropInPaths CanClean Markers Refs`.split(/\s+/),
);

const BOOLEAN_PROPERTIES = new Set(
  `CanStart CanStop CanReload CanIsolate CanFreeze StopWhenUnneeded RefuseManualStart RefuseManualStop
  AllowIsolate DefaultDependencies SurviveFinalKillSignal IgnoreOnIsolate NeedDaemonReload ConditionResult
  AssertResult Transient Perpetual`.split(/\s+/),
);

export const LIST_UNITS_ARGV = [
  'systemctl',
  'list-units',
  '--all',
  '--full',
  '--plain',
  '--no-legend',
  '--no-pager',
];

export function showArgv(unit: string): string[] {
  return ['systemctl', 'show', '--all', '--no-pager', '--', unit];
}

export function dependencyArgv(unit: string): string[] {
  return ['systemctl', 'show', '--property=Requires', '--property=Wants', '--no-pager', '--', unit];
}

/** Unit names, first column of list-units (a leading status marker such as '●' is dropped). */
export function parseUnitList(stdout: string): string[] {
  const units: string[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    const first = fields[0] === '●' || fields[0] === '*' ? fields[1] : fields[0];
    if (first) units.push(first);
  }
  return units;
}

/** `Key=Value` lines of systemctl show, in order (the first '=' separates). */
export function parseShow(stdout: string): Map<string, string> {
  const properties = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    properties.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return properties;
}

/** The Unit-interface properties with their values as oscap reports them (property -> values). */
export function unitProperties(stdout: string): [string, string[]][] {
  const result: [string, string[]][] = [];
  for (const [name, raw] of parseShow(stdout)) {
    if (!UNIT_PROPERTIES.has(name)) continue;
    if (ARRAY_PROPERTIES.has(name)) {
      const values = raw.split(/\s+/).filter((value) => value !== '');
      // oscap reports an empty array as no item at all.
      if (values.length > 0) result.push([name, values]);
    } else if (BOOLEAN_PROPERTIES.has(name)) {
      result.push([name, [raw === 'yes' ? 'true' : raw === 'no' ? 'false' : raw]]);
    } else {
      result.push([name, [raw]]);
    }
  }
  return result;
}

/** Requires then Wants of one unit, in order. */
export function directDependencies(stdout: string): string[] {
  const properties = parseShow(stdout);
  return ['Requires', 'Wants'].flatMap((name) =>
    (properties.get(name) ?? '').split(/\s+/).filter((value) => value !== ''),
  );
}
