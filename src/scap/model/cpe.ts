/** CPE dictionary 2.x and CPE applicability language 2.0, as SSG uses them for platform checks. */

export interface CpeCheck {
  system: string;
  /** Names the check document (resolved through the data stream catalog). */
  href: string | undefined;
  /** The OVAL definition id. */
  name: string;
}

export interface CpeItem {
  name: string;
  title: string | undefined;
  deprecated: boolean;
  checks: CpeCheck[];
}

export interface CpeDictionary {
  items: Map<string, CpeItem>;
}

export type CpeLogicalNode =
  | { kind: 'logical-test'; operator: 'AND' | 'OR'; negate: boolean; children: CpeLogicalNode[] }
  | { kind: 'fact-ref'; name: string }
  | { kind: 'check-fact-ref'; system: string; href: string; idref: string };

export interface CpePlatform {
  /** Platform id without `#` (XCCDF refers to it as `#id`). */
  id: string;
  title: string | undefined;
  test: CpeLogicalNode | undefined;
}

export interface CpePlatformSpecification {
  platforms: Map<string, CpePlatform>;
}
