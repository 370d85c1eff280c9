/** Result writers: XCCDF 1.2 results and ARF 1.1 as oscap 1.3.7 writes them, and XCCDF scoring. */
export { type ArfOptions, writeArf } from './arf.js';
export type { SystemInfo } from './oval-results.js';
export { computeScores, SCORING } from './score.js';
export { loadReportSource, type ReportSource } from './source-text.js';
export { DEFAULT_TEST_SYSTEM, type WriterOptions, writeXccdfResults } from './xccdf-results.js';
