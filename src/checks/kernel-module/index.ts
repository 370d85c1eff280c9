/**
 * `kernel-module`: a module cannot be loaded (modprobe.d `install <module> /bin/false` or
 * `/bin/true`, plus `blacklist <module>` unless waived) and, on a live host, is not loaded now.
 */
import { z } from 'zod';
import { defineCheckType } from '../../core/checks/check-type.js';
import type { FactRequest } from '../../core/facts/fact-request.js';
import type { CheckOutcome } from '../../core/results.js';
import { Findings } from '../common/findings.js';
import { fail, pass, readFact, readOptionalFact } from '../common/outcome.js';
import { applyDirPrecedence, MODPROBE_DIRS } from '../parsers/dropins.js';
import { type ModprobeCommand, normalizeModuleName, parseModprobe } from '../parsers/modprobe.js';

const DISABLING = new Set(['/bin/false', '/bin/true', '/usr/bin/false', '/usr/bin/true']);

const spec = z
  .object({
    module: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must be a kernel module name'),
    requireBlacklist: z.boolean().default(true),
  })
  .strict();

const GLOB: FactRequest & { kind: 'file-glob' } = {
  kind: 'file-glob',
  dirs: MODPROBE_DIRS,
  pattern: '*.conf',
};

export default defineCheckType({
  id: 'kernel-module',
  version: 1,
  description: 'A kernel module cannot be loaded (modprobe.d install/blacklist) and is not loaded.',
  spec,
  facts: () => [GLOB, { kind: 'loaded-modules' }],
  evaluate(s, ctx): CheckOutcome {
    const module = normalizeModuleName(s.module);
    const got = readFact(ctx, GLOB, 'modprobe.d files');
    if (got.problem) return got.problem;
    const commands = applyDirPrecedence(got.value.files, MODPROBE_DIRS).flatMap((f) =>
      parseModprobe(f.text, f.path),
    );
    const mine = commands.filter((c) => c.module === module);
    // kmod uses the first install command that names the module ("as modprobe from module-init-tools does").
    const install = mine.find((c) => c.command === 'install');
    const blacklist = mine.find((c) => c.command === 'blacklist');
    const at = (c: ModprobeCommand) => ({ resource: c.file, line: c.line, detail: c.text });
    const expectedInstall = `install ${s.module} /bin/false`;
    const searched = `no line in ${MODPROBE_DIRS.join(', ')}`;
    const findings = new Findings();

    if (!install) {
      findings.add(
        {
          source: 'module',
          resource: s.module,
          expected: expectedInstall,
          found: 'no install command',
          detail: searched,
        },
        `has no "${expectedInstall}" line`,
      );
    } else {
      const found = install.args.join(' ');
      findings.add(
        { source: 'file', ...at(install), expected: expectedInstall, found },
        !DISABLING.has(install.args[0] ?? '') &&
          `is installed with "${found}" at ${install.file}:${install.line}`,
      );
    }
    if (s.requireBlacklist) {
      findings.add(
        blacklist
          ? { source: 'file', ...at(blacklist), expected: `blacklist ${s.module}`, found: blacklist.text }
          : {
              source: 'module',
              resource: s.module,
              expected: `blacklist ${s.module}`,
              found: 'not blacklisted',
              detail: searched,
            },
        !blacklist && 'is not blacklisted',
      );
    }
    let note = '';
    const loaded = readOptionalFact(ctx, { kind: 'loaded-modules' }, 'loaded kernel modules');
    if (loaded.problem) return loaded.problem;
    if (loaded.value === undefined) note = ' (whether it is loaded now is not checked on an offline target)';
    else {
      const isLoaded = loaded.value.modules.some((m) => normalizeModuleName(m) === module);
      findings.add(
        {
          source: 'module',
          resource: s.module,
          expected: 'not loaded',
          found: isLoaded ? 'loaded' : 'not loaded',
          detail: '/proc/modules',
        },
        isLoaded && 'is loaded',
      );
    }
    if (findings.failed)
      return fail(`Kernel module ${s.module} ${findings.reasonText()}.`, findings.problems);
    return pass(`Kernel module ${s.module} is disabled${note}.`, findings.satisfied);
  },
});
