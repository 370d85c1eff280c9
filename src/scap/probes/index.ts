/** The OVAL probe sets, by area. */
export { FILESYSTEM_PROBES } from './fs/index.js';
export { createSystemProbes, SYSTEM_PROBES, type SystemProbeOptions } from './system/index.js';
