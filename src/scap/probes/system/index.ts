/**
 * The non-filesystem OVAL probes (packages, kernel, accounts, network, environment, systemd).
 * Semantics and verified oscap 1.3.7 formats are documented on each probe.
 */
import type { OvalProbe } from '../../oval-session/probe.js';
import type { SystemProbeOptions } from './common.js';
import { createDpkginfoProbe } from './dpkginfo.js';
import { environmentVariable58Probe } from './environment.js';
import { familyProbe } from './family.js';
import { interfaceProbe } from './interface.js';
import { createPartitionProbe } from './partition.js';
import { passwordProbe } from './password.js';
import { rpminfoProbe } from './rpminfo.js';
import { shadowProbe } from './shadow.js';
import { sysctlProbe } from './sysctl.js';
import { systemdUnitDependencyProbe, systemdUnitPropertyProbe } from './systemd.js';
import { unameProbe } from './uname.js';

/** Probes for content of a given OVAL schema version (dpkginfo's evr datatype, partition's block_size). */
export function createSystemProbes(options: SystemProbeOptions = {}): OvalProbe[] {
  return [
    createDpkginfoProbe(options),
    rpminfoProbe,
    sysctlProbe,
    unameProbe,
    createPartitionProbe(options),
    passwordProbe,
    shadowProbe,
    familyProbe,
    interfaceProbe,
    environmentVariable58Probe,
    systemdUnitPropertyProbe,
    systemdUnitDependencyProbe,
  ];
}

/** The probes for OVAL 5.11 content (what SSG ships). */
export const SYSTEM_PROBES: OvalProbe[] = createSystemProbes();

export type { SystemProbeOptions } from './common.js';
