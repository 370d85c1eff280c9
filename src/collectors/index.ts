/**
 * The collectors layer: answers the engine's fact requests through a target transport.
 */
import type { FactProvider } from '../core/engine/fact-provider.js';
import type { FactKind, FactRequest, FactRequestOf } from '../core/facts/fact-request.js';
import type { FactResult } from '../core/facts/fact-result.js';
import type { Transport, WalkOptions } from '../targets/transport.js';
import { collectGroup, collectPasswd, collectShadow } from './accounts.js';
import { fingerprintPath } from './collector.js';
import { collectCommand } from './command.js';
import { collectConfigTree } from './config-tree.js';
import { collectDirList } from './dir-list.js';
import { collectDpkgStatus } from './dpkg-database.js';
import { collectFileGlob } from './file-glob.js';
import { collectFileText } from './file-text.js';
import { collectFileTree } from './file-tree.js';
import { collectFilesystemUsage } from './filesystem-usage.js';
import { collectSysctlList, collectUname } from './kernel.js';
import { collectNetworkInterfaces } from './network.js';
import { collectOsRelease } from './os-release.js';
import { collectPackages } from './packages.js';
import { PassMemo } from './pass-memo.js';
import { collectProcessEnvironment } from './process-environment.js';
import { collectLoadedModules, collectMounts, collectSysctlRuntime } from './runtime.js';
import { collectStat } from './stat.js';
import { collectSystemdUnit } from './systemd-unit.js';
import { collectWalk } from './walk.js';

export interface FactProviderOptions {
  /** Restrict or force the walker (tests, benchmarks); the default walks every local filesystem. */
  walk?: Pick<WalkOptions, 'roots' | 'walker'>;
}

/** What a collector gets besides the transport and its request. */
export interface CollectorContext extends FactProviderOptions {
  pass: PassMemo;
}

/** A FactProvider whose `collect` result is typed by the request's kind. */
export interface TypedFactProvider extends FactProvider {
  collect<K extends FactKind>(request: FactRequestOf<K>): Promise<FactResult<K>>;
}

type Collectors = {
  [K in FactKind]: (
    transport: Transport,
    request: FactRequestOf<K>,
    context: CollectorContext,
  ) => Promise<FactResult<K>>;
};

const COLLECTORS: Collectors = {
  'file-text': collectFileText,
  stat: collectStat,
  'dir-list': collectDirList,
  'file-glob': collectFileGlob,
  'config-tree': collectConfigTree,
  walk: (transport, _request, options) => collectWalk(transport, options.walk),
  packages: (transport) => collectPackages(transport),
  'sysctl-runtime': collectSysctlRuntime,
  'systemd-unit': collectSystemdUnit,
  'loaded-modules': (transport) => collectLoadedModules(transport),
  mounts: (transport) => collectMounts(transport),
  passwd: (transport) => collectPasswd(transport),
  shadow: (transport) => collectShadow(transport),
  group: (transport) => collectGroup(transport),
  'os-release': (transport) => collectOsRelease(transport),
  command: collectCommand,
  'file-tree': collectFileTree,
  'dpkg-status': (transport) => collectDpkgStatus(transport),
  'sysctl-list': (transport) => collectSysctlList(transport),
  uname: (transport) => collectUname(transport),
  'network-interfaces': (transport) => collectNetworkInterfaces(transport),
  'process-environment': collectProcessEnvironment,
  'filesystem-usage': collectFilesystemUsage,
};

/** Every fact kind this layer can collect. */
export const collectorKinds: readonly FactKind[] = Object.keys(COLLECTORS) as FactKind[];

export function createFactProvider(
  transport: Transport,
  options: FactProviderOptions = {},
): TypedFactProvider {
  const pass = new PassMemo();
  const context: CollectorContext = { ...options, pass };
  const provider: FactProvider = {
    targetKind: transport.kind,
    beginPass: () => pass.begin(),
    endPass: () => pass.end(),
    async collect(request: FactRequest): Promise<FactResult> {
      const collector = COLLECTORS[request.kind] as Collectors[FactKind] | undefined;
      if (!collector) {
        return {
          status: 'error',
          message: `no collector for fact kind ${String(request.kind)}`,
          sources: [],
        };
      }
      // Each collector catches its own failures; this guard keeps the no-throw contract absolute.
      try {
        return await (
          collector as (t: Transport, r: FactRequest, c: CollectorContext) => Promise<FactResult>
        )(transport, request, context);
      } catch (error) {
        return {
          status: 'error',
          message: error instanceof Error ? error.message : String(error),
          sources: [],
        };
      }
    },
    fingerprint(paths: string[]): Promise<string[]> {
      return Promise.all(paths.map((path) => fingerprintPath(transport, path)));
    },
  };
  // Sound: each kind is dispatched to the collector of that kind, which returns FactResult<K>.
  return provider as TypedFactProvider;
}

export { parseGroup, parsePasswd, parseShadow } from './account-files.js';
export { collectGroup, collectPasswd, collectShadow } from './accounts.js';
export { collectCommand } from './command.js';
export { collectConfigTree } from './config-tree.js';
export { collectDirList } from './dir-list.js';
export { parseDpkgStatus } from './dpkg-status.js';
export { collectFileGlob } from './file-glob.js';
export { collectFileText } from './file-text.js';
export { collectFileTree } from './file-tree.js';
export { collectOsRelease, parseOsRelease } from './os-release.js';
export { collectPackages } from './packages.js';
export { PassMemo } from './pass-memo.js';
export { collectLoadedModules, collectMounts, collectSysctlRuntime } from './runtime.js';
export { collectStat } from './stat.js';
export { collectSystemdUnit } from './systemd-unit.js';
export { collectWalk, WALK_TTL_MS } from './walk.js';
