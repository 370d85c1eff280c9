/**
 * Constructs the parser met but does not model. They are recorded, never dropped: the coverage report
 * (and later the evaluator, which turns a rule that reaches one into `error`/`notchecked`) depends on
 * knowing exactly what was not understood.
 */
export interface UnknownConstruct {
  /** `{namespace}local` of the element (or `@attribute` value) not understood. */
  construct: string;
  /** Id of the nearest enclosing element with an id (rule, definition, variable...), or the document. */
  where: string;
  line: number;
  /** Why it is unknown: element not part of the model, unexpected value, unresolved reference. */
  reason: string;
}
