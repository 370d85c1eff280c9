/**
 * Namespace URIs of the SCAP formats Vouch reads. Elements are matched by (namespace URI, local name),
 * never by prefix: SSG writes `xccdf-1.2:` inside data streams and a default namespace in standalone
 * files, and other producers pick yet other prefixes.
 */
export const NS = {
  ds: 'http://scap.nist.gov/schema/scap/source/1.2',
  xccdf12: 'http://checklists.nist.gov/xccdf/1.2',
  xccdf11: 'http://checklists.nist.gov/xccdf/1.1',
  ovalDef: 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
  ovalCommon: 'http://oval.mitre.org/XMLSchema/oval-common-5',
  ovalInd: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#independent',
  ovalUnix: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#unix',
  ovalLinux: 'http://oval.mitre.org/XMLSchema/oval-definitions-5#linux',
  cpeDict: 'http://cpe.mitre.org/dictionary/2.0',
  cpeLang: 'http://cpe.mitre.org/language/2.0',
  ocil: 'http://scap.nist.gov/schema/ocil/2.0',
  catalog: 'urn:oasis:names:tc:entity:xmlns:xml:catalog',
  xlink: 'http://www.w3.org/1999/xlink',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
  html: 'http://www.w3.org/1999/xhtml',
} as const;

/** The OVAL check system URI an XCCDF `<check system>` names. */
export const OVAL_CHECK_SYSTEM = NS.ovalDef;
export const OCIL_CHECK_SYSTEM = 'http://scap.nist.gov/schema/ocil/2';

/**
 * Short family names for OVAL test/object/state types, so the inventory reads `ind:textfilecontent54_test`
 * the way the OVAL documentation and oscap's messages do. An unknown family keeps its full URI.
 */
const OVAL_FAMILIES: Record<string, string> = {
  [NS.ovalInd]: 'ind',
  [NS.ovalUnix]: 'unix',
  [NS.ovalLinux]: 'linux',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#windows': 'win',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#macos': 'macos',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#solaris': 'sol',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#aix': 'aix',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#hpux': 'hpux',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#freebsd': 'freebsd',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#esx': 'esx',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#ios': 'ios',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#iosxe': 'iosxe',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#junos': 'junos',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#netconf': 'netconf',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#pixos': 'pixos',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#android': 'android',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#apple_ios': 'apple_ios',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#sharepoint': 'sharepoint',
  'http://oval.mitre.org/XMLSchema/oval-definitions-5#asa': 'asa',
};

export function ovalFamily(namespaceUri: string): string {
  return OVAL_FAMILIES[namespaceUri] ?? namespaceUri;
}
