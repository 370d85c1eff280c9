import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineCheckType } from '../core/checks/check-type.js';
import { CheckTypeRegistry } from '../core/checks/registry.js';
import { loadContent } from './loader.js';

const registry = new CheckTypeRegistry().register('file', async () =>
  defineCheckType({
    id: 'file',
    version: 1,
    description: 'test file check',
    spec: z.object({ path: z.string(), mode: z.string().optional() }).strict(),
    facts: (spec) => [{ kind: 'stat', path: spec.path }],
    evaluate: () => ({ status: 'pass', message: '', evidence: [] }),
  }),
);

const goodRule = `id: shadow-mode
title: Shadow is private
description: Checks the mode.
rationale: Hashes.
severity: high
variables: [shadow_mode]
check:
  type: file
  spec:
    path: /etc/shadow
    mode: {$var: shadow_mode}
`;

async function contentDir(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vouch-content-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const variables = 'shadow_mode:\n  type: string\n  default: "0640"\n  pattern: "^0[0-7]{3}$"\n';

describe('loadContent', () => {
  it('loads rules, variables and profiles, taking the section from the folder', async () => {
    const dir = await contentDir({
      'variables.yaml': variables,
      'rules/file-permissions/shadow-mode.yaml': goodRule,
      'profiles/base.yaml': 'id: base\ntitle: Base\nselect: ["*"]\nvariables:\n  shadow_mode: "0600"\n',
    });
    const content = await loadContent(dir, { registry });
    expect(content.rules.map((r) => [r.id, r.section])).toEqual([['shadow-mode', 'file-permissions']]);
    expect(content.profiles.get('base')?.variables).toEqual({ shadow_mode: '0600' });
    expect(content.variables.get('shadow_mode')?.default).toBe('0640');
  });

  it.each([
    [
      'malformed YAML',
      { 'rules/x/shadow-mode.yaml': 'id: [unclosed\ntitle: x\n' },
      /shadow-mode\.yaml:\d+: /,
    ],
    [
      'unknown check type, with the known ones',
      { 'rules/x/shadow-mode.yaml': goodRule.replace('type: file', 'type: fiel') },
      /shadow-mode\.yaml:8: check\.type: unknown check type "fiel" \(known: file\)/,
    ],
    [
      'a spec field the check type does not know',
      {
        'rules/x/shadow-mode.yaml': goodRule.replace(
          'path: /etc/shadow',
          'path: /etc/shadow\n    owner: root',
        ),
      },
      /shadow-mode\.yaml:\d+: check\.spec: .*owner/i,
    ],
    [
      'a bad severity',
      { 'rules/x/shadow-mode.yaml': goodRule.replace('severity: high', 'severity: severe') },
      /shadow-mode\.yaml:5: severity: /,
    ],
    [
      'an id that is not the file name',
      { 'rules/x/other.yaml': goodRule },
      /other\.yaml:1: id: "shadow-mode" must equal the file name "other"/,
    ],
    [
      'a profile value breaking the variable pattern',
      {
        'rules/x/shadow-mode.yaml': goodRule,
        'profiles/p.yaml': 'id: p\ntitle: P\nvariables:\n  shadow_mode: "777"\n',
      },
      /p\.yaml:4: variables\.shadow_mode: must match/,
    ],
    [
      'a profile selecting an unknown rule',
      { 'rules/x/shadow-mode.yaml': goodRule, 'profiles/p.yaml': 'id: p\ntitle: P\nselect: [shadow-mod]\n' },
      /p\.yaml:3: select\.0: unknown rule "shadow-mod"/,
    ],
  ])('reports %s with file and line', async (_name, files, expected) => {
    const dir = await contentDir({ 'variables.yaml': variables, ...files });
    await expect(loadContent(dir, { registry })).rejects.toThrow(expected);
  });

  it('names a missing content directory', async () => {
    await expect(loadContent('/nonexistent/vouch-content')).rejects.toThrow(
      /\/nonexistent\/vouch-content: cannot read content directory/,
    );
  });
});
