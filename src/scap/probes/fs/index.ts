/** The filesystem OVAL probes: file and textfilecontent54. */
import type { OvalProbe } from '../../oval-session/probe.js';
import { fileProbe } from './file-probe.js';
import { textfilecontent54Probe } from './textfilecontent54-probe.js';

export { fileItem, fileProbe, OVAL_FILE_TYPES } from './file-probe.js';
export { type FileCandidate, type Selection, selectFiles } from './select.js';
export { matchInstances, pcreMultilineCarets } from './text-match.js';
export { textfilecontent54Probe } from './textfilecontent54-probe.js';

export const FILESYSTEM_PROBES: OvalProbe[] = [fileProbe, textfilecontent54Probe];
