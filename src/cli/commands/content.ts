/**
 * `vouch content info FILE [--profile ID] [--format table|json]`: what a SCAP source contains —
 * benchmarks, profiles with their selected-rule counts, and per profile the OVAL constructs the rules
 * reach (the future coverage table). Reads only the file; never touches the host.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';
import { type ContentInfo, contentInfo, loadScapSource } from '../../scap/index.js';
import type { BenchmarkInfo, ProfileInfo } from '../../scap/inventory/content-info.js';
import { SUPPORTED_OBJECT_TYPES } from '../../scap/probes/registry.js';
import { registerContentGenerate } from './content-generate.js';
import { registerContentImport } from './content-import.js';

interface InfoFlags {
  profile?: string;
  format: string;
}

export function registerContentCommand(program: Command): void {
  const content = program
    .command('content')
    .description('inspect, import and generate SCAP content (data streams, XCCDF, OVAL)');
  registerContentImport(content);
  registerContentGenerate(content);
  content
    .command('info')
    .description('list benchmarks and profiles with rule counts and the OVAL constructs they use')
    .argument('<file>', 'SCAP source data stream, XCCDF benchmark or OVAL definitions file')
    .option('--profile <id>', 'only this profile (full XCCDF id or short form), with its construct inventory')
    .option('--format <format>', 'table|json', 'table')
    .action(async (file: string, flags: InfoFlags) => {
      if (flags.format !== 'table' && flags.format !== 'json') {
        throw new VouchError(
          'UNKNOWN_REPORT_FORMAT',
          `--format ${flags.format}: unknown format (known: table, json)`,
        );
      }
      const info = contentInfo(await loadScapSource(file), {
        profile: flags.profile,
        supportedObjectTypes: SUPPORTED_OBJECT_TYPES,
      });
      process.stdout.write(
        flags.format === 'json' ? `${JSON.stringify(info, null, 2)}\n` : renderInfo(info, flags),
      );
    });
}

export function renderInfo(info: ContentInfo, flags: { profile?: string }): string {
  const out: string[] = [];
  out.push(`${info.path}: ${describeKind(info)}`);
  for (const c of info.components) out.push(`  component ${c.id} (${c.kind}): ${c.summary}`);
  for (const b of info.benchmarks) {
    out.push('');
    out.push(...renderBenchmark(b, flags.profile !== undefined));
  }
  if (info.benchmarks.length === 0) out.push('', 'no XCCDF benchmark in this file');
  return `${out.join('\n')}\n`;
}

function describeKind(info: ContentInfo): string {
  if (info.kind !== 'data-stream-collection') return `standalone ${info.kind.toUpperCase()} document`;
  const versions = [...new Set(info.dataStreams.map((d) => d.scapVersion ?? '?'))].join(', ');
  return `source data stream collection (SCAP ${versions}), ${info.dataStreams.length} data stream(s), ${info.components.length} components`;
}

function renderBenchmark(b: BenchmarkInfo, detailed: boolean): string[] {
  const out = [
    `Benchmark ${b.id}${b.version ? ` version ${b.version}` : ''}${b.title ? `: ${b.title}` : ''}`,
    `  ${b.rules} rules, ${b.groups} groups, ${b.values} values${b.platforms.length ? `; platform ${b.platforms.join(', ')}` : ''}`,
  ];
  if (b.unknownXccdf > 0) out.push(`  ${b.unknownXccdf} XCCDF construct(s) not modelled`);
  out.push('', `  Profiles (${b.profiles.length}):`);
  const width = Math.max(10, ...b.profiles.map((p) => p.shortId.length));
  for (const p of b.profiles) {
    const checks = p.inventory.checks;
    const notes = [
      checks.ocilOnly ? `${checks.ocilOnly} OCIL-only` : '',
      checks.complexOnly ? `${checks.complexOnly} complex-check only` : '',
      checks.otherOnly ? `${checks.otherOnly} other check systems only` : '',
      checks.none ? `${checks.none} without check` : '',
      p.extends ? `extends ${p.extends}` : '',
      `native ${p.inventory.coverage.full}/${p.inventory.checks.oval}`,
    ].filter(Boolean);
    out.push(
      `    ${p.shortId.padEnd(width)}  ${String(p.selectedRules).padStart(4)} rules  ${p.title ?? ''}${notes.length ? `  (${notes.join(', ')})` : ''}`,
    );
  }
  if (detailed) for (const p of b.profiles) out.push('', ...renderInventory(p));
  else
    out.push(
      '',
      '  Use --profile ID for the OVAL construct inventory of one profile, or --format json for all.',
    );
  return out;
}

function coverageLine(p: ProfileInfo): string {
  const { full } = p.inventory.coverage;
  const oval = p.inventory.checks.oval;
  const pct = oval === 0 ? 100 : (100 * full) / oval;
  return `${full} of ${oval} OVAL-checked rules evaluated fully (${pct.toFixed(1)} %)`;
}

function renderInventory(p: ProfileInfo): string[] {
  const inv = p.inventory;
  const out = [`  Profile ${p.id}: ${p.selectedRules} selected rules, ${inv.checks.oval} with an OVAL check`];
  out.push(`    native coverage: ${coverageLine(p)}`);
  const table = (heading: string, counts: Record<string, number>): void => {
    const entries = Object.entries(counts);
    if (entries.length === 0) return;
    out.push('', `    ${heading.padEnd(44)} rules`);
    for (const [name, n] of entries) out.push(`    ${name.padEnd(44)} ${String(n).padStart(5)}`);
  };
  table('OVAL object type without a probe', inv.coverage.unsupported);
  table('OVAL test type', inv.testTypes);
  table('OVAL object type', inv.objectTypes);
  table('OVAL state type', inv.stateTypes);
  table('OVAL variable kind', inv.variableKinds);
  table('local_variable function/component', inv.functions);
  table(
    `platform (gates ${inv.platforms.withPlatform} of ${p.selectedRules} rules)`,
    inv.platforms.byPlatform,
  );
  if (inv.unknown.length > 0) {
    out.push('', '    Constructs not modelled (rules reaching them):');
    for (const u of inv.unknown) out.push(`    ${u.construct} (${u.reason}): ${u.rules}`);
  }
  if (inv.unresolved.length > 0) {
    out.push('', `    Unresolved references (${inv.unresolved.length}):`);
    for (const u of inv.unresolved.slice(0, 20)) out.push(`    ${u.ruleId}: ${u.reference}`);
  }
  for (const w of p.warnings) out.push(`    warning: ${w}`);
  return out;
}
