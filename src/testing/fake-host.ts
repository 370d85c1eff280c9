/**
 * An in-memory target: a file map plus runtime overrides, answering every fact request the way a
 * collector would. It lets check tests describe a host as data ("these files, these packages") and
 * still go through the real fact requests a check type declares.
 */
import picomatch from 'picomatch';
import { basename, dirname, normalizePath } from '../checks/common/text.js';
import { byteOrder, splitArgs } from '../checks/parsers/lines.js';
import { normalizeSysctlKey } from '../checks/parsers/sysctl.js';
import { parseDpkgStatusEntries } from '../collectors/dpkg-database.js';
import { type FactKind, type FactRequest, type FactRequestOf, factKey } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type {
  CommandValue,
  DirEntry,
  FileTreeValue,
  FileType,
  GlobFile,
  MountEntry,
  PackageInfo,
  TreeEntry,
  WalkEntry,
  WalkValue,
} from '../core/facts/fact-values.js';
import type { TargetKind } from '../core/target-kind.js';
import {
  parseDpkgStatus,
  parseGroup,
  parseOsRelease,
  parsePasswd,
  parseProcMounts,
  parseShadow,
} from './etc-files.js';

export interface FakeFile {
  text?: string;
  /** Octal string ("0640") or number (0o640). Files default to 0644, directories to 0755. */
  mode?: number | string;
  uid?: number;
  gid?: number;
  /** Defaults to `file`, or `symlink` when `link` is given. */
  type?: FileType;
  /** Symlink target (absolute or relative to the link's directory). */
  link?: string;
}

/** Absolute path -> file text, or a FakeFile for metadata, directories and symlinks. */
export type FakeFiles = Record<string, string | FakeFile>;

/** A fact result given verbatim, e.g. to make a fact unavailable or broken. */
export type FakeFactResult =
  | { status: 'unavailable'; reason: string }
  | { status: 'error'; message: string }
  | { status: 'ok'; value: unknown };

export interface FakeFacts {
  /** Installed packages (manager dpkg); otherwise /var/lib/dpkg/status in the file map is parsed. */
  packages?: Array<string | { name: string; version?: string; arch?: string; status?: string }>;
  /** Runtime kernel parameters (live targets). Missing keys do not exist. */
  sysctl?: Record<string, string | number>;
  /** Loaded kernel modules (live targets); default none. */
  modules?: string[];
  /** Mounted filesystems (live targets); otherwise /proc/mounts in the file map, else none. */
  mounts?: MountEntry[];
  /** Live unit state (live targets); default inactive, unit-file state derived from the files. */
  units?: Record<string, { activeState?: string; unitFileState?: string }>;
  /** Command results (live targets), matched by argv. */
  commands?: Array<{
    argv: string[];
    exitCode?: number | null;
    stdout?: string;
    stderr?: string;
    timedOut?: boolean;
  }>;
  /** Text of /etc/passwd, /etc/shadow, /etc/group (shortcuts for putting them in the file map). */
  passwd?: string;
  shadow?: string;
  group?: string;
  /** Text of /var/lib/dpkg/status (shortcut for the file map). */
  dpkgStatus?: string;
  /** Replaces parts of the walk computed from the file map. */
  walk?: Partial<WalkValue>;
  /** Verbatim results by fact key (see factKey) or by fact kind. */
  results?: Record<string, FakeFactResult>;
}

interface Node {
  type: FileType;
  mode: number;
  uid: number;
  gid: number;
  text?: string;
  link?: string;
}

const OFFLINE_REASON = 'runtime state is not available on an offline root';
const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];

function ok(value: unknown): FactResult {
  return { status: 'ok', value, sources: [] } as FactResult;
}

function parseFakeMode(mode: number | string | undefined, fallback: number): number {
  if (mode === undefined) return fallback;
  return typeof mode === 'number' ? mode : Number.parseInt(mode, 8);
}

export class FakeHost {
  readonly #nodes = new Map<string, Node>();
  readonly #facts: FakeFacts;
  readonly targetKind: TargetKind;

  constructor(files: FakeFiles = {}, facts: FakeFacts = {}, targetKind: TargetKind = 'root') {
    this.#facts = facts;
    this.targetKind = targetKind;
    const shortcuts: FakeFiles = {};
    if (facts.passwd !== undefined) shortcuts['/etc/passwd'] = facts.passwd;
    if (facts.shadow !== undefined) shortcuts['/etc/shadow'] = facts.shadow;
    if (facts.group !== undefined) shortcuts['/etc/group'] = facts.group;
    if (facts.dpkgStatus !== undefined) shortcuts['/var/lib/dpkg/status'] = facts.dpkgStatus;
    files = { ...files, ...shortcuts };
    this.#nodes.set('/', { type: 'dir', mode: 0o755, uid: 0, gid: 0 });
    for (const [rawPath, spec] of Object.entries(files)) {
      if (!rawPath.startsWith('/')) throw new Error(`fake file path "${rawPath}" must be absolute`);
      const path = normalizePath(rawPath);
      const file: FakeFile = typeof spec === 'string' ? { text: spec } : spec;
      const type: FileType = file.type ?? (file.link !== undefined ? 'symlink' : 'file');
      const node: Node = {
        type,
        mode: parseFakeMode(file.mode, type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644),
        uid: file.uid ?? 0,
        gid: file.gid ?? 0,
      };
      if (type === 'file') node.text = file.text ?? '';
      if (file.link !== undefined) node.link = file.link;
      this.#nodes.set(path, node);
    }
    // Parent directories exist implicitly, so tests only list the files they care about.
    for (const path of [...this.#nodes.keys()]) {
      for (let dir = dirname(path); dir !== '/'; dir = dirname(dir)) {
        if (!this.#nodes.has(dir)) this.#nodes.set(dir, { type: 'dir', mode: 0o755, uid: 0, gid: 0 });
      }
    }
  }

  get live(): boolean {
    return this.targetKind !== 'root';
  }

  /** The node at path, following symlinks when asked (at most 40 hops, like the kernel). */
  #node(path: string, follow: boolean): { path: string; node: Node } | null {
    let current = normalizePath(path);
    for (let hops = 0; hops < 40; hops++) {
      const node = this.#nodes.get(current);
      if (!node) return null;
      if (!follow || node.type !== 'symlink' || node.link === undefined) return { path: current, node };
      current = normalizePath(node.link.startsWith('/') ? node.link : `${dirname(current)}/${node.link}`);
    }
    return null;
  }

  #children(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    return [...this.#nodes.keys()]
      .filter((path) => path !== dir && path.startsWith(prefix) && !path.slice(prefix.length).includes('/'))
      .sort(byteOrder);
  }

  #text(path: string): string | undefined {
    const found = this.#node(path, true);
    return found?.node.type === 'file' ? found.node.text : undefined;
  }

  /** Regular files (after following links) whose path matches the glob. */
  #globFiles(absolutePattern: string): string[] {
    const isMatch = picomatch(absolutePattern, { dot: true });
    return [...this.#nodes.keys()]
      .filter((path) => isMatch(path) && this.#text(path) !== undefined)
      .sort(byteOrder);
  }

  /** Answers one request as a collector would (never throws, except for an unfaked command). */
  answer<K extends FactKind>(request: FactRequestOf<K>): FactResult<K> {
    return this.#answer(request as FactRequest) as FactResult<K>;
  }

  #answer(request: FactRequest): FactResult {
    const override = this.#facts.results?.[factKey(request)] ?? this.#facts.results?.[request.kind];
    if (override) return { ...override, sources: [] } as FactResult;
    switch (request.kind) {
      case 'file-text': {
        const found = this.#node(request.path, true);
        if (!found) return ok({ path: request.path, exists: false });
        return ok(
          found.node.type === 'file'
            ? { path: request.path, exists: true, text: found.node.text }
            : { path: request.path, exists: true },
        );
      }
      case 'stat': {
        const found = this.#node(request.path, request.follow === true);
        if (!found) return ok({ path: request.path, exists: false });
        const { node } = found;
        return ok({
          path: request.path,
          exists: true,
          type: node.type,
          mode: node.mode,
          uid: node.uid,
          gid: node.gid,
          size: node.text?.length ?? 0,
          mtimeMs: 0,
          ...(node.link !== undefined ? { linkTarget: node.link } : {}),
        });
      }
      case 'dir-list': {
        const found = this.#node(request.path, true);
        if (found?.node.type !== 'dir') return ok({ path: request.path, exists: false, entries: [] });
        const entries: DirEntry[] = this.#children(found.path).map((path) => ({
          name: basename(path),
          type: this.#nodes.get(path)?.type ?? 'unknown',
        }));
        return ok({ path: request.path, exists: true, entries });
      }
      case 'file-glob': {
        // Hidden files are not read by the programs that own drop-in directories.
        const isMatch = picomatch(request.pattern, { dot: false });
        const files: GlobFile[] = [];
        for (const dir of request.dirs) {
          const found = this.#node(dir, true);
          if (found?.node.type !== 'dir') continue;
          for (const child of this.#children(found.path)) {
            // A link to /dev/null is how an administrator masks a vendor file: kept, empty.
            const text = this.#nodes.get(child)?.link === '/dev/null' ? '' : this.#text(child);
            if (text !== undefined && isMatch(basename(child)))
              files.push({ path: `${normalizePath(dir)}/${basename(child)}`, text });
          }
        }
        return ok({ files });
      }
      case 'config-tree':
        return ok(this.#configTree(request.path, request.syntax));
      case 'walk':
        return ok(this.#walk());
      case 'file-tree':
        return ok(this.#fileTree(request));
      case 'packages':
        return ok(this.#packages());
      case 'sysctl-runtime': {
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        const wanted = normalizeSysctlKey(request.key);
        const entry = Object.entries(this.#facts.sysctl ?? {}).find(
          ([key]) => normalizeSysctlKey(key) === wanted,
        );
        return ok(
          entry
            ? { key: request.key, exists: true, value: String(entry[1]) }
            : { key: request.key, exists: false },
        );
      }
      case 'systemd-unit':
        return ok(this.#unit(request.unit));
      case 'loaded-modules':
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        return ok({ modules: this.#facts.modules ?? [] });
      case 'mounts': {
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        const proc = this.#text('/proc/mounts');
        return ok({ mounts: this.#facts.mounts ?? (proc !== undefined ? parseProcMounts(proc) : []) });
      }
      case 'passwd':
      case 'shadow':
      case 'group': {
        const path = `/etc/${request.kind}`;
        // Like the collector: a missing account file is an empty table (minimal images lack /etc/shadow).
        const text = this.#text(path) ?? '';
        const parse = { passwd: parsePasswd, shadow: parseShadow, group: parseGroup }[request.kind];
        return ok({ path, entries: parse(text) });
      }
      case 'os-release': {
        // Like the collector: no os-release file means a generic "linux".
        return ok(parseOsRelease(this.#text('/etc/os-release') ?? this.#text('/usr/lib/os-release') ?? ''));
      }
      case 'dpkg-status': {
        // Like the collector: every paragraph, whatever its state.
        const text = this.#facts.dpkgStatus ?? this.#text('/var/lib/dpkg/status');
        return ok({ exists: text !== undefined, entries: parseDpkgStatusEntries(text ?? '') });
      }
      case 'sysctl-list': {
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        const keys = Object.keys(this.#facts.sysctl ?? {}).map((key) => normalizeSysctlKey(key));
        return ok({ entries: keys.map((key) => ({ name: key.replaceAll('/', '.'), key })) });
      }
      case 'uname':
      case 'network-interfaces':
      case 'process-environment':
      case 'filesystem-usage':
        // No file describes these; a test that needs them gives the value in `results`.
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        return {
          status: 'unavailable',
          reason: `${request.kind} is not faked: give it in facts.results`,
          sources: [],
        };
      case 'command': {
        if (!this.live) return { status: 'unavailable', reason: OFFLINE_REASON, sources: [] };
        const fake = this.#facts.commands?.find(
          (c) => JSON.stringify(c.argv) === JSON.stringify(request.argv),
        );
        if (!fake) {
          throw new Error(
            `no fake result for command ${JSON.stringify(request.argv)}: add it to facts.commands`,
          );
        }
        const value: CommandValue = {
          argv: request.argv,
          exitCode: fake.exitCode === undefined ? 0 : fake.exitCode,
          stdout: fake.stdout ?? '',
          stderr: fake.stderr ?? '',
          timedOut: fake.timedOut ?? false,
        };
        return ok(value);
      }
    }
  }

  #configTree(root: string, syntax: 'sshd' | 'sudoers') {
    const files: GlobFile[] = [];
    const unmatchedIncludes: string[] = [];
    const rootText = this.#text(root);
    if (rootText === undefined) return { files, unmatchedIncludes, exists: false };
    // Like the collector: each file once, depth first, at most 16 levels (sshd's limit).
    const seen = new Set<string>();
    const visit = (path: string, text: string, depth: number): void => {
      seen.add(path);
      files.push({ path, text });
      if (depth >= 16) return;
      for (const raw of text.split(/\r?\n/)) {
        const line = raw.trim();
        const targets: string[] = [];
        if (syntax === 'sshd') {
          const m = /^include(?:\s+|\s*=\s*)(.*)$/i.exec(line);
          if (!m) continue;
          for (const arg of splitArgs(m[1] ?? '')) {
            const pattern = normalizePath(arg.startsWith('/') ? arg : `/etc/ssh/${arg}`);
            const matched = this.#globFiles(pattern);
            if (matched.length === 0) unmatchedIncludes.push(pattern);
            targets.push(...matched);
          }
        } else {
          const m = /^[@#](includedir|include)\s+(\S+)/.exec(line);
          if (!m) continue;
          const arg = m[2] ?? '';
          const target = normalizePath(arg.startsWith('/') ? arg : `${dirname(path)}/${arg}`);
          if (m[1] === 'include') {
            if (this.#text(target) === undefined) unmatchedIncludes.push(target);
            else targets.push(target);
          } else {
            // sudo skips names ending in "~" or containing "." in an includedir.
            const inDir = this.#children(target).filter(
              (p) => !/[.~]/.test(basename(p)) && this.#text(p) !== undefined,
            );
            if (inDir.length === 0) unmatchedIncludes.push(target);
            targets.push(...inDir);
          }
        }
        for (const target of targets)
          if (!seen.has(target)) visit(target, this.#text(target) ?? '', depth + 1);
      }
    };
    visit(root, rootText, 0);
    return { files, unmatchedIncludes, exists: true };
  }

  /** Like the collector: lstat of every entry below the (followed) root, depth-first, by name. */
  #fileTree(request: FactRequestOf<'file-tree'>): FileTreeValue {
    const root = this.#node(request.path, true);
    const own = this.#node(request.path, false);
    if (!root || !own) return { path: request.path, exists: own !== null, entries: [], visited: 0 };
    const entries: TreeEntry[] = [];
    const entry = (path: string, node: Node, depth: number): TreeEntry => {
      const followed = node.type === 'symlink' ? this.#node(path, true) : null;
      return {
        path,
        depth,
        type: node.type,
        ...(node.type === 'symlink' ? { targetType: followed?.node.type ?? null } : {}),
        mode: node.mode,
        uid: node.uid,
        gid: node.gid,
        size: node.text?.length ?? 0,
        atimeMs: 0,
        ctimeMs: 0,
        mtimeMs: 0,
      };
    };
    const special = (node: Node) => request.select !== 'special' || (node.mode & 0o6002) !== 0;
    let visited = 1;
    if (special(own.node)) entries.push(entry(normalizePath(request.path), own.node, 0));
    const visit = (realDir: string, shownDir: string, depth: number, seen: Set<string>): void => {
      if (request.maxDepth !== undefined && depth > request.maxDepth) return;
      for (const child of this.#children(realDir)) {
        const node = this.#nodes.get(child) as Node;
        const shown = `${shownDir === '/' ? '' : shownDir}/${basename(child)}`;
        visited++;
        if (special(node)) entries.push(entry(shown, node, depth));
        const target = node.type === 'symlink' && request.follow ? this.#node(child, true) : null;
        if (node.type === 'dir') visit(child, shown, depth + 1, seen);
        else if (target?.node.type === 'dir' && !seen.has(target.path))
          visit(target.path, shown, depth + 1, new Set([...seen, target.path]));
      }
    };
    if (root.node.type === 'dir') visit(root.path, normalizePath(request.path), 1, new Set([root.path]));
    return { path: request.path, exists: true, entries, visited };
  }

  #walk(): WalkValue {
    const passwd = this.#text('/etc/passwd');
    const group = this.#text('/etc/group');
    const uids = new Set(passwd === undefined ? [0] : parsePasswd(passwd).map((e) => e.uid));
    const gids = new Set(group === undefined ? [0] : parseGroup(group).map((e) => e.gid));
    const special: WalkEntry[] = [];
    const unowned: WalkEntry[] = [];
    for (const [path, node] of [...this.#nodes.entries()].sort(([a], [b]) => byteOrder(a, b))) {
      if (node.type === 'symlink') continue;
      const entry: WalkEntry = { path, type: node.type, mode: node.mode, uid: node.uid, gid: node.gid };
      if (node.mode & 0o6002) special.push(entry);
      if (!uids.has(node.uid) || !gids.has(node.gid)) unowned.push(entry);
    }
    return { special, unowned, visited: this.#nodes.size, skipped: [], startedAt: 0, ...this.#facts.walk };
  }

  #packages() {
    if (this.#facts.packages) {
      const packages: Record<string, PackageInfo> = {};
      for (const item of this.#facts.packages) {
        const p = typeof item === 'string' ? { name: item } : item;
        packages[p.name] = {
          name: p.name,
          version: p.version ?? '1.0-1',
          status: p.status ?? 'install ok installed',
          ...(p.arch ? { arch: p.arch } : {}),
        };
      }
      return { manager: 'dpkg', packages };
    }
    const status = this.#text('/var/lib/dpkg/status');
    if (status !== undefined) return { manager: 'dpkg', packages: parseDpkgStatus(status) };
    return { manager: 'none', packages: {} };
  }

  #unit(unit: string) {
    // Mirrors the collector: masks count only in /etc and /run, the unit file proper is searched
    // past a mask, and .wants/.requires links are looked up in admin and vendor directories.
    const masked = ['/etc/systemd/system', '/run/systemd/system'].some(
      (dir) => this.#nodes.get(`${dir}/${unit}`)?.link === '/dev/null',
    );
    let unitFile: { path: string; text: string } | null = null;
    for (const dir of UNIT_DIRS) {
      const path = `${dir}/${unit}`;
      if (this.#nodes.get(path)?.link === '/dev/null') continue;
      const text = this.#text(path);
      if (text !== undefined) {
        unitFile = { path, text };
        break;
      }
    }
    const wantedBy = [...this.#nodes.keys()]
      .filter(
        (path) =>
          /^\/(etc|run|usr\/lib|lib)\/systemd\/system\/[^/]+\.(wants|requires)\/[^/]+$/.test(path) &&
          basename(path) === unit,
      )
      .sort(byteOrder);
    const value: Record<string, unknown> = { unit, unitFile, masked, wantedBy };
    if (this.live) {
      const live = this.#facts.units?.[unit] ?? {};
      value.activeState = live.activeState ?? 'inactive';
      value.unitFileState =
        live.unitFileState ??
        (masked ? 'masked' : unitFile === null ? 'not-found' : wantedBy.length > 0 ? 'enabled' : 'disabled');
    }
    return value;
  }
}
