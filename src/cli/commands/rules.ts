/**
 * `vouch rules list|show`: search the rule store (imported SCAP and ComplianceAsCode content) by id,
 * title, framework control, severity, source and profile; show one rule with its references,
 * variables (sensitive values masked), checks and remediations. See docs/rule-store.md.
 */
import type { Command } from 'commander';
import { VouchError } from '../../core/errors.js';

interface ListFlags {
  store?: string;
  search?: string;
  framework?: string;
  control?: string;
  severity?: string;
  source?: string;
  profile?: string;
  format: string;
}

interface ShowFlags {
  store?: string;
  source?: string;
  format: string;
}

function checkFormat(format: string, known: string[]): void {
  if (!known.includes(format)) {
    throw new VouchError(
      'UNKNOWN_REPORT_FORMAT',
      `--format ${format}: unknown format (known: ${known.join(', ')})`,
    );
  }
}

const SEVERITIES = ['unknown', 'info', 'low', 'medium', 'high'];

export function registerRulesCommand(parent: Command): void {
  const rules = parent.command('rules').description('search and show the rules in the rule store');
  rules
    .command('list')
    .description('list rules, filtered by text, framework control, severity, source or profile')
    .option('--store <dir>', 'rule store directory (default: $VOUCH_STORE or ~/.local/share/vouch/store)')
    .option('--search <text>', 'case-insensitive text in the rule id or title')
    .option(
      '--framework <name>',
      'framework: cis, nist, stig (stigid, srg, cci), pcidss, hipaa, ospp, anssi, ism, cjis, ...',
    )
    .option('--control <id>', 'control id (5.2.1, AC-17); a section matches its sub-controls')
    .option('--severity <s>', `severity (${SEVERITIES.join('|')}); several comma-separated`)
    .option('--source <id>', 'only rules of this imported source')
    .option('--profile <id>', 'only rules this profile selects (full or short id)')
    .option('--format <format>', 'table|json', 'table')
    .action(async (flags: ListFlags) => {
      checkFormat(flags.format, ['table', 'json']);
      for (const s of flags.severity?.split(',') ?? []) {
        if (!SEVERITIES.includes(s.trim().toLowerCase())) {
          throw new VouchError(
            'BAD_SEVERITY',
            `--severity ${s}: unknown severity (known: ${SEVERITIES.join(', ')})`,
          );
        }
      }
      const { openRuleStore } = await import('../../store/rule-store.js');
      const store = await openRuleStore(flags.store);
      if (store.sources().length === 0) {
        process.stderr.write(
          `vouch: the rule store ${store.dir} is empty; import content with vouch content import\n`,
        );
      }
      const found = store.rules(flags);
      if (flags.format === 'json') {
        const summary = found.map((r) => ({
          id: r.id,
          shortId: r.shortId,
          sourceId: r.sourceId,
          title: r.title,
          severity: r.severity,
          references: r.references,
          profiles: r.profiles,
        }));
        process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
        return;
      }
      const { renderRuleTable } = await import('../../store/render.js');
      let framework: ((key: string) => boolean) | undefined;
      if (flags.framework) {
        const { frameworkMatcher } = await import('../../store/references.js');
        framework = frameworkMatcher(
          flags.framework,
          found.flatMap((r) => Object.keys(r.references)),
        );
      }
      process.stdout.write(renderRuleTable(found, framework));
    });
  rules
    .command('show')
    .description('show one rule: texts, references by framework, variables, checks, remediations')
    .argument('<id>', 'rule id (full XCCDF id or short id)')
    .option('--store <dir>', 'rule store directory (default: $VOUCH_STORE or ~/.local/share/vouch/store)')
    .option('--source <id>', 'the source to take the rule from when several hold it')
    .option('--format <format>', 'text|json', 'text')
    .action(async (id: string, flags: ShowFlags) => {
      checkFormat(flags.format, ['text', 'json']);
      const { openRuleStore } = await import('../../store/rule-store.js');
      const { maskedVariable, profileValuesOf, renderRule } = await import('../../store/render.js');
      const store = await openRuleStore(flags.store);
      const rule = store.rule(id, flags.source);
      const byId = new Map(store.variables(rule.sourceId).map((v) => [v.id, v]));
      const variables = rule.variables.flatMap((v) => byId.get(v) ?? []);
      const inProfiles = profileValuesOf(rule, store.profiles(rule.sourceId));
      // JSON: each variable with `profiles`: what every profile selecting the rule sets it to.
      const json = () => ({
        ...rule,
        variables: variables.map((v) => {
          const masked = maskedVariable(v);
          const profiles = Object.fromEntries(
            (inProfiles.get(v.id) ?? []).map((p) => [
              p.profile,
              { value: masked.sensitive ? masked.default : p.value, selector: p.selector },
            ]),
          );
          return { ...masked, profiles };
        }),
      });
      process.stdout.write(
        flags.format === 'json'
          ? `${JSON.stringify(json(), null, 2)}\n`
          : renderRule(rule, variables, inProfiles),
      );
    });
}
