/** Framework recognition of references as SSG writes them, and control matching. */
import { describe, expect, it } from 'vitest';
import { controlMatches, frameworkMatcher, frameworkOfReference } from '../../src/store/references.js';

describe('frameworkOfReference', () => {
  // hrefs and texts copied from ssg-ubuntu2204-ds.xml and ssg-debian11-ds.xml (SSG 0.1.65).
  it.each([
    ['https://www.cisecurity.org/benchmark/ubuntu_linux/', '5.2.15', 'cis'],
    ['https://benchmarks.cisecurity.org/tools2/linux/CIS_Debian_Benchmark_v1.0.pdf', '9.3.1', 'cis'],
    ['https://www.cisecurity.org/controls/', '11', 'cis-csc'],
    ['http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-53r4.pdf', 'AC-17(a)', 'nist'],
    ['http://nvlpubs.nist.gov/nistpubs/SpecialPublications/NIST.SP.800-171.pdf', '3.1.11', 'cui'],
    ['https://nvlpubs.nist.gov/nistpubs/CSWP/NIST.CSWP.04162018.pdf', 'PR.AC-7', 'nist-csf'],
    ['https://public.cyber.mil/stigs/cci/', 'CCI-000879', 'disa'],
    [
      'https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cgeneral-purpose-os',
      'SRG-OS-000126-GPOS-00066',
      'srg',
    ],
    ['', 'SRG-OS-000480-VMM-002000', 'srg'],
    ['https://public.cyber.mil/stigs/srg-stig-tools/', 'UBTU-22-255030', 'stigid'],
    ['https://www.pcisecuritystandards.org/documents/PCI_DSS_v3-2-1.pdf', 'Req-8.1.8', 'pcidss'],
    [
      'https://www.gpo.gov/fdsys/pkg/CFR-2007-title45-vol1/pdf/CFR-2007-title45-vol1-chapA-subchapC.pdf',
      '164.308(a)(1)(ii)(D)',
      'hipaa',
    ],
    ['https://www.niap-ccevs.org/Profile/PP.cfm', 'FMT_SMF_EXT.1', 'ospp'],
    ['http://www.ssi.gouv.fr/administration/bonnes-pratiques/', 'BP28(R29)', 'anssi'],
    ['', '0421', 'ism'],
    ['https://www.fbi.gov/file-repository/cjis-security-policy-v5_5_20160601-2-1.pdf', '5.5.6', 'cjis'],
    ['https://www.isaca.org/resources/cobit', 'DSS05.04', 'cobit5'],
    ['https://www.iso.org/standard/54534.html', 'A.9.4.2', 'iso27001-2013'],
    [
      'https://www.isa.org/products/isa-62443-2-1-2009-security-for-industrial-automat',
      '4.3.3.6.1',
      'isa-62443-2009',
    ],
    [
      'https://www.isa.org/products/ansi-isa-62443-3-3-99-03-03-2013-security-for-indu',
      'SR 1.1',
      'isa-62443-2013',
    ],
    [
      'https://www.nerc.com/pa/Stand/Standard%20Purpose%20Statement%20DL/US_Standard_One-Stop-Shop.xlsx',
      'CIP-007-3 R5.1',
      'nerc-cip',
    ],
    ['https://example.org/in-house-baseline', 'IH-7', 'https://example.org/in-house-baseline'],
    ['', 'something else', 'other'],
  ])('%s %s -> %s', (href, text, framework) => {
    expect(frameworkOfReference(href, text)).toBe(framework);
  });
});

describe('controlMatches', () => {
  it.each([
    ['5.2.1', '5.2.1', true],
    ['5.2.1', '5.2', true],
    ['5.21', '5.2', false],
    ['AC-17(a)', 'AC-17', true],
    ['AC-17 (1)', 'ac-17', true],
    ['AC-170', 'AC-17', false],
    ['AC-1', 'AC-17', false],
    ['Req-8.1.8', 'req-8.1', true],
  ])('%s answers --control %s: %s', (value, control, expected) => {
    expect(controlMatches(value, control)).toBe(expected);
  });
});

describe('frameworkMatcher', () => {
  const keys = ['cis@ubuntu2204', 'nist', 'srg', 'stigid@ubuntu2204', 'disa', 'https://example.org/x'];
  it.each([
    ['cis', ['cis@ubuntu2204']],
    ['cis@ubuntu2204', ['cis@ubuntu2204']],
    ['stig', ['srg', 'stigid@ubuntu2204', 'disa']],
    ['NIST', ['nist']],
    ['https://example.org/x', ['https://example.org/x']],
    ['pcidss', []],
  ])('%s selects %j', (name, expected) => {
    expect(keys.filter(frameworkMatcher(name, keys))).toEqual(expected);
  });
  it('names the known frameworks for an unknown one', () => {
    expect(() => frameworkMatcher('sox', keys)).toThrow(
      /--framework sox: unknown framework \(known: .*cis.*stig/,
    );
  });
});
