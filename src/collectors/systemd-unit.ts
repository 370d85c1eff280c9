/**
 * `systemd-unit`: a unit's file, masking and enablement links read from disk (works offline), plus
 * systemd's own view (`systemctl show`) on a live host.
 */
import type { SystemdUnitRequest } from '../core/facts/fact-request.js';
import type { FactResult, FactSource } from '../core/facts/fact-result.js';
import type { SystemdUnitValue } from '../core/facts/fact-values.js';
import type { Transport } from '../targets/transport.js';
import { collect, SourceRecorder } from './collector.js';
import type { PassMemo } from './pass-memo.js';
import { isDevNullLink, readText } from './read-text.js';

/** systemd's system unit search path, highest precedence first. */
export const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];

/** Masking is an administrator's (or runtime) act: only these directories can mask. */
const MASK_DIRS = ['/etc/systemd/system', '/run/systemd/system'];

/** Where `.wants` / `.requires` links live: admin (/etc, /run) and vendor "static" ones (/usr/lib, /lib). */
const WANTS_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];

const SYSTEMCTL_TIMEOUT_MS = 10_000;

/** `getty@tty1.service` -> `getty@.service`: an instance without its own file uses the template's. */
export function templateOf(unit: string): string | null {
  const match = /^([^@]+)@[^.]+(\.[a-z]+)$/.exec(unit);
  return match ? `${match[1]}@${match[2]}` : null;
}

export function parseSystemctlShow(stdout: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const equals = line.indexOf('=');
    if (equals > 0) properties[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return properties;
}

async function findUnitFile(sources: SourceRecorder, unit: string): Promise<SystemdUnitValue['unitFile']> {
  const names = [unit, templateOf(unit)].filter((name): name is string => name !== null);
  for (const name of names) {
    for (const dir of UNIT_DIRS) {
      const path = `${dir}/${name}`;
      if (await isDevNullLink(sources, path)) {
        await sources.lstat(path);
        continue; // a mask: the unit file proper is further down the path, if anywhere
      }
      const read = await readText(sources, path);
      if (read.text !== undefined) return { path, text: read.text };
    }
  }
  return null;
}

async function findMask(sources: SourceRecorder, unit: string): Promise<boolean> {
  let masked = false;
  for (const dir of MASK_DIRS) {
    const path = `${dir}/${unit}`;
    await sources.lstat(path); // recorded even when absent: masking later must invalidate the fact
    if (await isDevNullLink(sources, path)) masked = true;
  }
  return masked;
}

/** Every enablement link under the wants directories, read once and shared by all units of a pass. */
interface WantsIndex {
  /** The directories listed, with their fingerprints: a link added or removed changes one of them. */
  sources: FactSource[];
  /** unit name -> link paths (`/etc/systemd/system/multi-user.target.wants/cron.service`). */
  links: Map<string, string[]>;
}

async function buildWantsIndex(transport: Transport): Promise<WantsIndex> {
  const sources = new SourceRecorder(transport);
  const links = new Map<string, string[]>();
  // Recorded even when absent: a directory created later (first `systemctl enable`) must
  // invalidate the facts built from this index.
  const dirs = await Promise.all(
    WANTS_DIRS.map(async (dir) => {
      const stats = await sources.follow(dir);
      return stats?.type === 'dir' ? { dir, real: await transport.realpath(dir) } : null;
    }),
  );
  // /lib is /usr/lib on merged-/usr systems: list each real directory once.
  const seen = new Set<string>();
  const unique = dirs.filter((entry): entry is { dir: string; real: string } => {
    if (entry === null || entry.real === null || seen.has(entry.real)) return false;
    seen.add(entry.real);
    return true;
  });
  const listings = await Promise.all(
    unique.map(async ({ dir }) => {
      const wantsDirs = ((await transport.readdir(dir)) ?? []).filter(
        (entry) =>
          (entry.name.endsWith('.wants') || entry.name.endsWith('.requires')) &&
          (entry.type === 'dir' || entry.type === 'symlink'),
      );
      return Promise.all(
        wantsDirs.map(async (entry) => {
          const wantsDir = `${dir}/${entry.name}`;
          await sources.follow(wantsDir);
          return { wantsDir, names: ((await transport.readdir(wantsDir)) ?? []).map((link) => link.name) };
        }),
      );
    }),
  );
  for (const { wantsDir, names } of listings.flat()) {
    for (const name of names) {
      const list = links.get(name);
      const link = `${wantsDir}/${name}`;
      if (list) list.push(link);
      else links.set(name, [link]);
    }
  }
  return { sources: sources.list(), links };
}

async function findWantedBy(
  sources: SourceRecorder,
  unit: string,
  pass: PassMemo | undefined,
): Promise<string[]> {
  const index = await (pass
    ? pass.get('systemd-wants-index', () => buildWantsIndex(sources.transport))
    : buildWantsIndex(sources.transport));
  for (const source of index.sources) sources.add(source.path, source.fingerprint);
  return [...(index.links.get(unit) ?? [])];
}

/**
 * Whether systemd is the running init, the way sd_booted(3) decides: /run/systemd/system exists.
 * Without it (a container, a chroot) `systemctl show` can only fail, so it is not run at all, and the
 * on-disk view, which file fingerprints do track, is the whole fact.
 */
async function systemdRunning(transport: Transport): Promise<boolean> {
  const stats = await transport.lstat('/run/systemd/system');
  return stats?.type === 'dir';
}

export function collectSystemdUnit(
  transport: Transport,
  request: SystemdUnitRequest,
  context?: { pass?: PassMemo },
): Promise<FactResult<'systemd-unit'>> {
  return collect(transport, async (sources) => {
    const unit = request.unit;
    if (unit === '' || unit.includes('/') || unit === '.' || unit === '..') {
      return { status: 'error', message: `invalid unit name ${JSON.stringify(unit)}` };
    }
    const [unitFile, masked, wantedBy] = await Promise.all([
      findUnitFile(sources, unit),
      findMask(sources, unit),
      findWantedBy(sources, unit, context?.pass),
    ]);
    const value: SystemdUnitValue = { unit, unitFile, masked, wantedBy };
    if (!transport.live || !(await systemdRunning(transport))) return { status: 'ok', value };
    const shown = await transport.exec(
      ['systemctl', 'show', unit, '--property=ActiveState,UnitFileState', '--no-pager'],
      { timeoutMs: SYSTEMCTL_TIMEOUT_MS },
    );
    // No systemd running (a container, a chroot): the on-disk view is all there is.
    if (shown.exitCode === 0) {
      const properties = parseSystemctlShow(shown.stdout);
      if (properties.ActiveState) value.activeState = properties.ActiveState;
      if (properties.UnitFileState) value.unitFileState = properties.UnitFileState;
    }
    return { status: 'ok', value, volatile: true };
  });
}
