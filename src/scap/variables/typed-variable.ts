/**
 * XCCDF Values as typed variables: the one description every SCAP-facing feature shares (the rule
 * store, `vouch tailor`, datastream generation, fix generation, `--var` on scans), so an override is
 * validated the same way wherever it is given.
 *
 * The constraints come from the Value itself: its type, `lower-bound`/`upper-bound`, `match` (a
 * regular expression the value must match) and `choices` with mustMatch. Selectors (`<value
 * selector="...">`) are the named alternatives a profile refines to; they are *suggested* values,
 * not a closed set (oscap accepts any value of the right type in a set-value), unless `choices
 * mustMatch="1"` says otherwise.
 *
 * Sensitivity: XCCDF has no "sensitive" attribute. A Value is sensitive when its id ends with the
 * name of a secret (password, passphrase, secret, token, credential, private/API key) or when the
 * user marks it (the store keeps the marks; `--sensitive` on import and on `vouch tailor`).
 * Sensitive values are masked in logs and reports.
 */
import { VouchError } from '../../core/errors.js';
import { SENSITIVE_MASK } from '../../core/rules/sensitive.js';
import type { Selected, ValueOperator, ValueType, XccdfValue } from '../model/xccdf.js';

export interface ScapVariable {
  /** Full XCCDF Value id (xccdf_org.ssgproject.content_value_var_x). */
  id: string;
  /** Short name (var_x), what users type. */
  name: string;
  title: string | undefined;
  description: string | undefined;
  type: ValueType;
  operator: ValueOperator;
  /** The value with no selector (what the benchmark uses when no profile refines it). */
  default: string;
  /** selector -> value: the named alternatives profiles refine to (refine-value selector). */
  selectors: Record<string, string>;
  /** Closed set of allowed values (XCCDF choices mustMatch), when the Value declares one. */
  choices: string[] | undefined;
  /** Open set of suggested values (XCCDF choices without mustMatch), when declared. */
  suggestions: string[] | undefined;
  lowerBound: number | undefined;
  upperBound: number | undefined;
  /** Regular expression the value must match (XCCDF `match`). */
  pattern: string | undefined;
  interactive: boolean;
  sensitive: boolean;
}

/**
 * The name must *end* with the secret's noun: `var_grub2_password`, `var_api_token`. Policy knobs
 * that merely mention one (`var_password_pam_minlen`, `var_sudo_passwd_timeout`,
 * `var_accounts_passwords_pam_faillock_deny`: 25 SSG Values) are settings, not secrets: masking
 * them would hide the very values an auditor checks, and would make Vouch's XCCDF/ARF set-values
 * differ from oscap's. No SSG Value matches this pattern.
 */
const SECRET_NAME =
  /(?:^|_)(?:passw(?:or)?d|passphrase|secret|token|credentials?|private_?key|api_?key)(?:_hash)?$/i;

export function isSensitiveVariableName(id: string): boolean {
  return SECRET_NAME.test(shortVariableName(id));
}

export function shortVariableName(id: string): string {
  const at = id.indexOf('_value_');
  return at >= 0 && id.startsWith('xccdf_') ? id.slice(at + '_value_'.length) : id;
}

function unselected<T>(list: readonly Selected<T>[]): T | undefined {
  return (list.find((s) => s.selector === undefined || s.selector === '') ?? list[0])?.value;
}

function numberOrUndefined(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

export function scapVariableOf(value: XccdfValue, options: { sensitive?: boolean } = {}): ScapVariable {
  const selectors: Record<string, string> = {};
  for (const s of value.values) {
    if (s.selector !== undefined && s.selector !== '') selectors[s.selector] = s.value;
  }
  const choiceSet = unselected(value.choices);
  return {
    id: value.id,
    name: shortVariableName(value.id),
    title: value.title,
    description: value.description,
    type: value.type,
    operator: value.operator,
    default: unselected(value.values) ?? unselected(value.defaults) ?? '',
    selectors,
    choices: choiceSet?.mustMatch ? [...choiceSet.choices] : undefined,
    suggestions: choiceSet && !choiceSet.mustMatch ? [...choiceSet.choices] : undefined,
    lowerBound: numberOrUndefined(unselected(value.lowerBounds)),
    upperBound: numberOrUndefined(unselected(value.upperBounds)),
    pattern: unselected(value.matches),
    interactive: value.interactive,
    sensitive: options.sensitive ?? isSensitiveVariableName(value.id),
  };
}

/** What a log line or report may show of a value of this variable. */
export function displayValue(variable: Pick<ScapVariable, 'sensitive'>, value: string): string {
  return variable.sensitive ? SENSITIVE_MASK : value;
}

/**
 * The problem with `raw` as a value of `variable`, or null. Messages never contain a sensitive
 * value. Booleans follow XCCDF (true/false/1/0).
 */
export function scapVariableProblem(variable: ScapVariable, raw: string): string | null {
  if (variable.type === 'number') {
    const n = raw.trim() === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(n)) return 'must be a number';
    if (variable.lowerBound !== undefined && n < variable.lowerBound)
      return `must be >= ${variable.lowerBound}`;
    if (variable.upperBound !== undefined && n > variable.upperBound)
      return `must be <= ${variable.upperBound}`;
  }
  if (variable.type === 'boolean' && !['true', 'false', '1', '0'].includes(raw)) {
    return 'must be true or false';
  }
  if (variable.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(variable.pattern);
    } catch {
      re = /$^/;
    }
    if (!re.test(raw)) return `must match /${variable.pattern}/`;
  }
  if (variable.choices && !variable.choices.includes(raw)) {
    return `must be one of ${variable.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  }
  return null;
}

/**
 * Validates an override; throws VouchError('BAD_VARIABLE') as `<where>: <name>=<value>: problem`
 * (the value masked when sensitive). `where` names the origin: `--var`, a tailoring file, a field.
 */
export function validateScapVariable(variable: ScapVariable, raw: string, where: string): string {
  const problem = scapVariableProblem(variable, raw);
  if (problem) {
    throw new VouchError(
      'BAD_VARIABLE',
      `${where} ${variable.name}=${displayValue(variable, raw)}: ${variable.id} ${problem}`,
    );
  }
  return raw;
}

/** Splits `name=value` (the value may contain '='). */
export function splitAssignment(text: string, where = '--var'): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new VouchError('BAD_VARIABLE', `${where} "${text}": expected name=value`);
  return [text.slice(0, eq).trim(), text.slice(eq + 1)];
}
