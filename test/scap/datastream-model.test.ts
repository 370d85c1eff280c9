/**
 * A hand-written SCAP 1.3 source data stream (fixtures/mini-ds.xml): component-refs, catalogs, and
 * how check hrefs resolve to components (or to a remote resource that is never fetched). The fixture
 * is deliberately minimal (no generator, status, metadata): the parser must not need them.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BenchmarkContext,
  benchmarksOf,
  contentInfo,
  cpeDictionaryFor,
  loadScapSource,
  ovalFor,
  resolveHref,
  type ScapSource,
} from '../../src/scap/index.js';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'mini-ds.xml');
let source: ScapSource;
let ctx: BenchmarkContext;

beforeAll(async () => {
  source = await loadScapSource(FIXTURE);
  ctx = benchmarksOf(source)[0]!;
});

describe('source data stream', () => {
  it('models the data stream, its component-refs and catalogs', () => {
    expect(source).toMatchObject({
      kind: 'data-stream-collection',
      collectionId: 'scap_org.example_collection_mini',
      unknown: [],
    });
    expect(source.dataStreams).toEqual([
      {
        id: 'scap_org.example_datastream_mini',
        scapVersion: '1.3',
        useCase: 'OTHER',
        dictionaries: [
          {
            id: 'scap_org.example_cref_cpe-dict',
            href: '#scap_org.example_comp_cpe-dict',
            componentId: 'scap_org.example_comp_cpe-dict',
            catalog: new Map([['mini-cpe-oval.xml', 'scap_org.example_cref_cpe-oval']]),
          },
        ],
        checklists: [
          {
            id: 'scap_org.example_cref_xccdf',
            href: '#scap_org.example_comp_xccdf',
            componentId: 'scap_org.example_comp_xccdf',
            catalog: new Map([
              ['mini-oval.xml', 'scap_org.example_cref_oval'],
              ['cve.xml', 'scap_org.example_cref_cve'],
            ]),
          },
        ],
        checks: [
          {
            id: 'scap_org.example_cref_oval',
            href: '#scap_org.example_comp_oval',
            componentId: 'scap_org.example_comp_oval',
            catalog: new Map(),
          },
          {
            id: 'scap_org.example_cref_cpe-oval',
            href: '#scap_org.example_comp_cpe-oval',
            componentId: 'scap_org.example_comp_cpe-oval',
            catalog: new Map(),
          },
          {
            id: 'scap_org.example_cref_cve',
            href: 'https://example.org/cve.oval.xml',
            componentId: 'https://example.org/cve.oval.xml',
            catalog: new Map(),
          },
        ],
      },
    ]);
    expect([...source.components.values()].map((c) => [c.id, c.content.kind, c.timestamp])).toEqual([
      ['scap_org.example_comp_cpe-dict', 'cpe-dictionary', '2026-11-26T00:00:00'],
      ['scap_org.example_comp_xccdf', 'xccdf', '2026-11-26T00:00:00'],
      ['scap_org.example_comp_oval', 'oval', '2026-11-26T00:00:00'],
      ['scap_org.example_comp_cpe-oval', 'oval', '2026-11-26T00:00:00'],
    ]);
  });

  it('resolves check hrefs through the catalog of the benchmark’s component-ref', () => {
    expect(ctx.componentId).toBe('scap_org.example_comp_xccdf');
    expect(resolveHref(source, ctx.dataStream, ctx.componentRef, 'mini-oval.xml')).toEqual({
      kind: 'component',
      id: 'scap_org.example_comp_oval',
    });
    expect(resolveHref(source, ctx.dataStream, ctx.componentRef, '#scap_org.example_cref_cpe-oval')).toEqual({
      kind: 'component',
      id: 'scap_org.example_comp_cpe-oval',
    });
    expect(resolveHref(source, ctx.dataStream, ctx.componentRef, 'cve.xml')).toEqual({
      kind: 'remote',
      url: 'https://example.org/cve.oval.xml',
    });
    expect(resolveHref(source, ctx.dataStream, ctx.componentRef, 'nope.xml')).toEqual({ kind: 'missing' });
    expect(ovalFor(ctx, 'mini-oval.xml')?.definitions.has('oval:m:def:1')).toBe(true);
  });

  it('finds the CPE dictionary, whose check hrefs resolve through its own catalog', () => {
    const cpe = cpeDictionaryFor(ctx)!;
    expect(cpe.dictionary.items.get('cpe:/a:machine')).toEqual({
      name: 'cpe:/a:machine',
      title: 'Bare-metal or Virtual Machine',
      deprecated: false,
      checks: [
        {
          system: 'http://oval.mitre.org/XMLSchema/oval-definitions-5',
          href: 'mini-cpe-oval.xml',
          name: 'oval:m:def:9',
        },
      ],
    });
    expect(resolveHref(source, ctx.dataStream, cpe.ref, 'mini-cpe-oval.xml')).toEqual({
      kind: 'component',
      id: 'scap_org.example_comp_cpe-oval',
    });
  });

  it('the inventory counts what each rule reaches and reports the remote check', () => {
    const [profile] = contentInfo(source).benchmarks[0]!.profiles;
    expect(profile).toMatchObject({ shortId: 'all', selectedRules: 2, warnings: [] });
    expect(profile!.inventory).toMatchObject({
      checks: { oval: 2, ocilOnly: 0, complexOnly: 0, otherOnly: 0, none: 0 },
      testTypes: { 'unix:file_test': 1 },
      objectTypes: { 'unix:file_object': 1 },
      unresolved: [
        {
          ruleId: 'xccdf_org.example_rule_two',
          reference: 'remote resource https://example.org/cve.oval.xml (never fetched)',
        },
      ],
    });
  });
});
