/** The OVAL probe sets, by area. */
export { FILESYSTEM_PROBES } from './fs/index.js';
