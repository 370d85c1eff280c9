/**
 * Sensitive scan variables on both backends, with a small content set whose profile has one:
 * stored sealed (AES-256-GCM, never in clear in the row), masked in every answer and in the audit
 * log, checked against their constraints, and opened only for the scan that uses them (the rule
 * passes only if the scan received the real value).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTree, removeTree } from '../../../src/targets/temp-tree.js';
import { storageBackends } from '../storage/backends.js';
import { type ApiHarness, openApi } from './harness.js';

const backends = await storageBackends();
const SECRET = 'token=s3cr3t-42';

async function contentDir(): Promise<string> {
  const dir = await makeTree({});
  const files: Record<string, string> = {
    'variables.yaml': [
      'app_token_line:',
      '  type: string',
      '  default: "^token=changeme$"',
      '  pattern: "^\\\\^token="',
      '  sensitive: true',
      'app_retries:',
      '  type: number',
      '  default: 3',
      '  min: 1',
      '  max: 5',
      '',
    ].join('\n'),
    'rules/app/app-token.yaml': [
      'id: app-token',
      'title: App token is the expected one',
      'description: test rule',
      'rationale: test',
      'severity: high',
      'variables: [app_token_line, app_retries]',
      'check:',
      '  type: file-content',
      '  spec:',
      '    path: /etc/app.conf',
      '    match: { $var: app_token_line }',
      '',
    ].join('\n'),
    'profiles/app.yaml': 'id: app\ntitle: App\nplatforms: [debian]\nselect: ["*"]\n',
  };
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe.each(backends)('sensitive scan variables on $name', (backend) => {
  let api: ApiHarness;
  let content: string;
  let root: string;

  beforeAll(async () => {
    content = await contentDir();
    root = await makeTree({
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
      'etc/app.conf': `${SECRET}\n`,
    });
    api = await openApi(backend, { content: { contentDir: content, cacheDir: null } });
  }, 60_000);
  afterAll(async () => {
    await api?.dispose();
    await removeTree(content);
    await removeTree(root);
  });

  it('seals, masks and uses a sensitive override', async () => {
    const target = await api.request('POST', '/api/v1/targets', {
      token: api.tokens.operator,
      body: { name: 'app-1', connection: { root } },
    });
    const created = await api.request('POST', '/api/v1/scan-configs', {
      token: api.tokens.operator,
      body: {
        name: 'app',
        profileId: 'app',
        targetIds: [target.json().id],
        variables: { app_token_line: `^${SECRET}$`, app_retries: 2 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      variables: { app_token_line: '********', app_retries: 2 },
      sensitiveVariables: ['app_token_line'],
    });
    const id = created.json().id;

    const row = await api.storage.db
      .selectFrom('scan_configs')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(row.variables)).toEqual({ app_retries: 2 });
    expect(row.variables_encrypted).toMatch(/^v1:/);
    const everything = JSON.stringify(await api.storage.db.selectFrom('scan_configs').selectAll().execute());
    const audit = JSON.stringify(await api.storage.db.selectFrom('audit_log').selectAll().execute());
    for (const text of [
      everything,
      audit,
      (await api.request('GET', `/api/v1/scan-configs/${id}`, { token: api.tokens.auditor })).body,
    ]) {
      expect(text).not.toContain('s3cr3t');
    }

    // A row's sealed value does not open as another row's (AAD binds it to its id).
    const other = await api.request('POST', '/api/v1/scan-configs', {
      token: api.tokens.operator,
      body: { name: 'other', profileId: 'app', targetIds: [target.json().id] },
    });
    await api.storage.db
      .updateTable('scan_configs')
      .set({ variables_encrypted: row.variables_encrypted })
      .where('id', '=', other.json().id)
      .execute();
    const moved = await api.request('GET', `/api/v1/scan-configs/${other.json().id}`, {
      token: api.tokens.auditor,
    });
    expect(moved.statusCode).toBe(500);
    expect(moved.body).not.toContain('s3cr3t');

    // Updating another field keeps the sealed value; the scan gets it in clear.
    const renamed = await api.request('PATCH', `/api/v1/scan-configs/${id}`, {
      token: api.tokens.operator,
      body: { name: 'app nightly' },
    });
    expect(renamed.json().sensitiveVariables).toEqual(['app_token_line']);
    const started = await api.request('POST', '/api/v1/scans', {
      token: api.tokens.operator,
      body: { scanConfigId: id },
    });
    expect(started.statusCode).toBe(202);
    await api.drain();
    const results = await api.request('GET', `/api/v1/scans/${started.json().id}/results`, {
      token: api.tokens.auditor,
    });
    expect(results.json().items.map((r: { ruleId: string; status: string }) => [r.ruleId, r.status])).toEqual(
      [['app-token', 'pass']],
    );
  }, 60_000);

  it('names a sensitive variable that breaks its pattern without echoing the value', async () => {
    const target = await api.request('POST', '/api/v1/targets', {
      token: api.tokens.operator,
      body: { name: 'app-2' },
    });
    const res = await api.request('POST', '/api/v1/scan-configs', {
      token: api.tokens.operator,
      body: {
        name: 'bad',
        profileId: 'app',
        targetIds: [target.json().id],
        variables: { app_token_line: 'leaky-value' },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('variables.app_token_line: must match /^\\^token=/');
    expect(res.body).not.toContain('leaky-value');
  });
});
