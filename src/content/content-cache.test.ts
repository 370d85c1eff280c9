import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBuiltinRegistry } from '../checks/index.js';
import { loadContentCached } from './content-cache.js';

const rule = (title: string) => `id: motd-present
title: ${title}
description: d
rationale: r
severity: low
check:
  type: file
  spec: {path: /etc/motd}
`;

describe('loadContentCached', () => {
  it('serves unchanged content from the cache and reloads after an edit', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-cc-'));
    const cacheDir = join(dir, 'cache');
    await mkdir(join(dir, 'content/rules/banners'), { recursive: true });
    const file = join(dir, 'content/rules/banners/motd-present.yaml');
    await writeFile(file, rule('first'));
    const options = { registry: createBuiltinRegistry(), toolVersion: 'test', cacheDir };

    const first = await loadContentCached(join(dir, 'content'), options);
    expect(first.rules[0]?.title).toBe('first');
    const entries = await readdir(cacheDir);
    expect(entries).toHaveLength(1);

    const second = await loadContentCached(join(dir, 'content'), options);
    expect(second.rules).toEqual(first.rules);
    expect(await readdir(cacheDir)).toEqual(entries);

    await writeFile(file, rule('second, longer'));
    const third = await loadContentCached(join(dir, 'content'), options);
    expect(third.rules[0]?.title).toBe('second, longer');
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('still reports content errors (they are never cached)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vouch-cc-'));
    await mkdir(join(dir, 'rules/x'), { recursive: true });
    await writeFile(
      join(dir, 'rules/x/motd-present.yaml'),
      rule('t').replace('severity: low', 'severity: nope'),
    );
    const options = { registry: createBuiltinRegistry(), toolVersion: 'test', cacheDir: join(dir, 'cache') };
    await expect(loadContentCached(dir, options)).rejects.toThrow(/motd-present\.yaml:5: severity/);
    await expect(loadContentCached(dir, options)).rejects.toThrow(/motd-present\.yaml:5: severity/);
  });
});
