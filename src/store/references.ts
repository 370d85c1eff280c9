/**
 * Which compliance framework a reference belongs to. SCAP Security Guide writes each reference as
 * `<reference href="URI">control</reference>` with one URI per framework (ssg/constants.py), and
 * ComplianceAsCode source writes `references: {key[@product]: "a,b"}` with the same keys; the store
 * groups controls under those CaC keys so both kinds of source answer `--framework cis` alike.
 * SSG 0.1.65 writes two frameworks with an empty href (ISM numbers, VMM SRG ids); they are told
 * apart by the shape of the text. A reference Vouch does not recognise is kept under its href.
 */
import { VouchError } from '../core/errors.js';

export interface Framework {
  /** The ComplianceAsCode reference key. */
  id: string;
  title: string;
  href?: RegExp;
  /** For references with an empty href: the shape of the control id. */
  text?: RegExp;
}

export const FRAMEWORKS: readonly Framework[] = [
  { id: 'cis', title: 'CIS Benchmark', href: /cisecurity\.org\/benchmark|benchmarks\.cisecurity\.org/i },
  { id: 'cis-csc', title: 'CIS Critical Security Controls', href: /cisecurity\.org\/controls/i },
  { id: 'nist', title: 'NIST SP 800-53', href: /800-53/ },
  { id: 'cui', title: 'NIST SP 800-171', href: /800-171/ },
  { id: 'nist-csf', title: 'NIST Cybersecurity Framework', href: /NIST\.CSWP|cybersecurity-framework/i },
  { id: 'disa', title: 'DISA CCI', href: /cyber\.mil\/stigs\/cci/i, text: /^CCI-\d+$/ },
  { id: 'srg', title: 'DISA SRG', href: /cyber\.mil\/stigs\/downloads/i, text: /^SRG-/ },
  { id: 'stigid', title: 'DISA STIG', href: /srg-stig-tools/i, text: /^[A-Z]+-\d{2}-\d{6}$/ },
  { id: 'pcidss', title: 'PCI DSS v3.2.1', href: /PCI_DSS_v3/i },
  { id: 'pcidss4', title: 'PCI DSS v4', href: /PCI_DSS_v4|PCI-DSS-v4/i },
  { id: 'hipaa', title: 'HIPAA', href: /CFR-2007-title45|hipaa/i },
  { id: 'ospp', title: 'NIAP OSPP', href: /niap-ccevs/i },
  { id: 'anssi', title: 'ANSSI', href: /ssi\.gouv\.fr/i },
  { id: 'ism', title: 'Australian ISM', href: /cyber\.gov\.au/i, text: /^\d{4,5}$/ },
  { id: 'cjis', title: 'FBI CJIS', href: /fbi\.gov.*cjis/i },
  { id: 'cobit5', title: 'COBIT 5', href: /isaca\.org/i },
  { id: 'iso27001-2013', title: 'ISO/IEC 27001:2013', href: /iso\.org\/standard\/54534/i },
  { id: 'isa-62443-2009', title: 'ISA 62443-2-1:2009', href: /62443-2-1-2009/i },
  { id: 'isa-62443-2013', title: 'ISA 62443-3-3:2013', href: /62443-3-3/i },
  { id: 'nerc-cip', title: 'NERC CIP', href: /nerc\.com/i },
  { id: 'ccn', title: 'CCN-STIC', href: /ccn-cert/i },
  { id: 'bsi', title: 'BSI IT-Grundschutz', href: /bsi\.bund\.de/i },
];

/** Names users type for a group of frameworks. */
const ALIASES: Record<string, string[]> = {
  stig: ['stigid', 'srg', 'disa'],
  'disa-stig': ['stigid', 'srg', 'disa'],
  cci: ['disa'],
  'nist-800-53': ['nist'],
  'nist-800-171': ['cui'],
  pci: ['pcidss', 'pcidss4'],
  'pci-dss': ['pcidss', 'pcidss4'],
  iso27001: ['iso27001-2013'],
  cobit: ['cobit5'],
  csc: ['cis-csc'],
  'isa-62443': ['isa-62443-2009', 'isa-62443-2013'],
};

/** The framework key an XCCDF reference is stored under (its href when none matches, `other` when empty). */
export function frameworkOfReference(href: string | undefined, text: string): string {
  const h = href?.trim() ?? '';
  if (h !== '') {
    for (const f of FRAMEWORKS) if (f.href?.test(h)) return f.id;
    return h;
  }
  for (const f of FRAMEWORKS) if (f.text?.test(text.trim())) return f.id;
  return 'other';
}

/** Adds a control under a framework key, once. */
export function addReference(refs: Record<string, string[]>, key: string, control: string): void {
  const value = control.trim();
  if (value === '') return;
  const list = refs[key] ?? [];
  if (!list.includes(value)) list.push(value);
  refs[key] = list;
}

/** The framework part of a stored key: `cis@ubuntu2204` -> `cis`. */
export function frameworkBase(key: string): string {
  const at = key.indexOf('@');
  return at > 0 && !key.includes('://') ? key.slice(0, at) : key;
}

export function frameworkTitle(key: string): string {
  const base = frameworkBase(key);
  const f = FRAMEWORKS.find((x) => x.id === base);
  if (!f) return key;
  return base === key ? f.title : `${f.title} (${key.slice(base.length + 1)})`;
}

/**
 * The stored reference keys a `--framework NAME` selects: a framework id (`cis` also matches
 * `cis@ubuntu2204`), an alias (`stig` = stigid + srg + disa), a product-scoped key, or an href kept
 * verbatim. Unknown names are an error listing what the store holds.
 */
export function frameworkMatcher(name: string, knownKeys: Iterable<string>): (key: string) => boolean {
  const wanted = name.trim().toLowerCase();
  const ids = new Set(ALIASES[wanted] ?? [wanted]);
  const known = [...knownKeys];
  const matches = (key: string): boolean =>
    key.toLowerCase() === wanted || ids.has(frameworkBase(key).toLowerCase());
  if (!known.some(matches) && !FRAMEWORKS.some((f) => ids.has(f.id))) {
    const names = [...new Set(known.map(frameworkBase))].sort();
    throw new VouchError(
      'UNKNOWN_FRAMEWORK',
      `--framework ${name}: unknown framework (known: ${[...names, ...Object.keys(ALIASES)].join(', ')})`,
    );
  }
  return matches;
}

/**
 * Whether a stored control id answers `--control`: the same id, or a sub-control of it (`5.2`
 * matches `5.2.1`, `AC-17` matches `AC-17(a)` and `AC-17 (1)`, never `AC-170`). Case-insensitive.
 */
export function controlMatches(value: string, control: string): boolean {
  const v = value.trim().toLowerCase();
  const c = control.trim().toLowerCase();
  if (v === c) return true;
  return v.startsWith(c) && ['.', '(', ' '].includes(v.charAt(c.length));
}
