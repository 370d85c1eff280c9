/**
 * Options shared by every report writer. One type for all formats keeps the registry uniform:
 * a writer ignores what it does not use, so the CLI can pass the same object to any format.
 */

/** Remediation text for one rule, as written in the rule file (`remediation:`). */
export interface Remediation {
  bash?: string;
  ansible?: string;
  manual?: string;
}

export interface ReportOptions {
  /** Table: emit ANSI colours. Off by default so piped and redirected output stays plain. */
  color?: boolean;
  /**
   * Names of variables flagged `sensitive`. The engine already masks them; writers mask them
   * again and scrub any leaked value from the whole report, so one engine bug cannot leak a secret.
   */
  sensitiveVariables?: readonly string[];
  /** HTML and SARIF: remediation per rule id. The result model carries none, so the CLI passes it in. */
  remediations?: Readonly<Record<string, Remediation>>;
  /** JUnit: section per rule id; given, there is one testsuite per section instead of one suite. */
  sections?: Readonly<Record<string, string>>;
}
