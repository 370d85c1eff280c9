/** Test support for check types: table tests through the real spec -> facts -> evaluate path. */
export {
  CASE_GROUPS,
  type CaseGroup,
  type CheckCase,
  type CheckCases,
  CheckTester,
  CheckTesterError,
  type CheckTesterOptions,
  deepFreeze,
  type HostDescription,
  type InvalidSpecCase,
  stableStringify,
} from './check-tester.js';
export { type FakeFactResult, type FakeFacts, type FakeFile, type FakeFiles, FakeHost } from './fake-host.js';
