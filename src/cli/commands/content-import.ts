/**
 * `vouch content import FILE|DIR [--store DIR] [--sensitive VAR ...] [--id ID] [--format text|json]`:
 * a SCAP source data stream, or a tree of ComplianceAsCode rule directories, into the rule store.
 * On re-import of a source already in the store, prints what changed. See docs/rule-store.md.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

interface ImportFlags {
  store?: string;
  sensitive: string[];
  id?: string;
  format: string;
}

/** `--sensitive a --sensitive b,c` -> [a, b, c]. */
function collect(value: string, previous: string[]): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

export function registerContentImport(parent: Command): void {
  parent
    .command('import')
    .description('import a SCAP source data stream or ComplianceAsCode rule directories into the rule store')
    .argument(
      '<path>',
      'SCAP source data stream (ssg-*-ds.xml) or a directory of CaC rule directories (rule.yml)',
    )
    .option('--store <dir>', 'rule store directory (default: $VOUCH_STORE or ~/.local/share/vouch/store)')
    .option(
      '--sensitive <var>',
      'mark a variable sensitive (repeatable; id or short name); kept in the store',
      collect,
      [],
    )
    .option(
      '--id <id>',
      'source id (default: from the file or directory name, ssg-ubuntu2204-ds.xml -> ssg-ubuntu2204)',
    )
    .option('--format <format>', 'text|json', 'text')
    .action(async (path: string, flags: ImportFlags) => {
      if (flags.format !== 'text' && flags.format !== 'json') {
        throw new VouchError(
          'UNKNOWN_REPORT_FORMAT',
          `--format ${flags.format}: unknown format (known: text, json)`,
        );
      }
      const { importIntoStore, resolveStoreDir } = await import('../../store/index.js');
      const { renderImport } = await import('../../store/render.js');
      const result = await importIntoStore(path, {
        store: flags.store,
        sensitive: flags.sensitive,
        sourceId: flags.id,
      });
      process.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify(result, null, 2)}\n`
          : renderImport(result, resolveStoreDir(flags.store)),
      );
    });
}
