/** Pure OVAL 5.11 evaluation core: result algebra, test logic, datatypes, PCRE translation. */
export { compareValues, type Operation, parseOvalInt } from './compare.js';
export { type CriteriaContext, evaluateDefinition } from './criteria.js';
export { existenceResult, type ItemStatus } from './existence.js';
export {
  type ComponentDependencies,
  type ComponentInputs,
  type ComponentValues,
  componentDependencies,
  evaluateComponent,
  evaluateLocalVariable,
  globToRegex,
  type ObjectFieldRef,
  type ResolvedInput,
} from './functions.js';
export {
  compilePcre,
  PcreTranslationError,
  type TranslatedPattern,
  type TranslateOptions,
  translatePcre,
} from './pcre.js';
export {
  combineByCheck,
  combineByOperator,
  countResults,
  isOvalResult,
  negate,
  OVAL_RESULTS,
  OvalEvalError,
  type OvalResult,
  type ResultCounts,
} from './result.js';
export {
  type CollectedItem,
  compareWithEntity,
  evaluateState,
  evaluateStateEntity,
  type ItemValue,
  type StateEntity,
  type VariableLookup,
  type VariableValues,
} from './state-eval.js';
export { type CollectionFlag, evaluateTest, type TestInput, type TestItem } from './test-eval.js';
export {
  debianEvrCompare,
  evrCompare,
  parseEvr,
  rpmVersionCompare,
  versionCompare,
} from './versions.js';
