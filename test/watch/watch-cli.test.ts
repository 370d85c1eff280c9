/**
 * `vouch watch` as a user runs it: the built CLI in a child process, one JSON line per drift event
 * on stdout with --once-json, status on stderr, the same event signed to a --webhook, exit 0 on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../src/alerts/signature.js';
import type { DriftEvent } from '../../src/core/drift.js';

const VOUCH = fileURLToPath(new URL('../../bin/vouch.js', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'vouch-watch-cli-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function waitFor(read: () => string, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = (): void => {
      const match = read().match(pattern);
      if (match) resolve(match);
      else if (Date.now() - started > timeoutMs)
        reject(new Error(`timed out waiting for ${pattern}: ${read()}`));
      else setTimeout(check, 20);
    };
    check();
  });
}

describe('vouch watch (CLI)', () => {
  it('prints one JSON line per drift event, posts it signed to a webhook and exits 0 on SIGTERM', async () => {
    // A real HTTP receiver on loopback, as a SIEM or chat bridge would run.
    const received: { headers: IncomingHttpHeaders; body: string }[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    mkdirSync(join(root, 'etc'));
    writeFileSync(
      join(root, 'etc/os-release'),
      'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12"\n',
    );
    writeFileSync(join(root, 'etc/shadow'), 'root:*:19000:0:99999:7:::\n');
    chmodSync(join(root, 'etc/shadow'), 0o640);
    const child = spawn(
      process.execPath,
      [
        VOUCH,
        'watch',
        '--root',
        root,
        '--rule',
        'file-perm-etc-shadow',
        '--once-json',
        '--poll-interval',
        '0',
        '--label',
        'env=test',
        '--webhook',
        hook,
        '--webhook-secret',
        's3cret',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await waitFor(() => stderr, /watching root .*: 1 rules \(1 pass/);
      chmodSync(join(root, 'etc/shadow'), 0o666);
      const [line] = await waitFor(() => stdout, /^.*\n/);
      const event = JSON.parse(line) as DriftEvent;
      expect(event).toMatchObject({
        kind: 'drift',
        rule: { id: 'file-perm-etc-shadow' },
        previousStatus: 'pass',
        status: 'fail',
        target: { kind: 'root', labels: { env: 'test' } },
        trigger: { paths: ['/etc/shadow'] },
      });
      await waitFor(() => String(received.length), /^1$/);
      const [delivery] = received;
      expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({
        id: event.id,
        kind: 'drift',
        rule: { id: 'file-perm-etc-shadow' },
      });
      expect(
        verifySignature({
          secret: 's3cret',
          body: delivery?.body ?? '',
          timestamp: delivery?.headers['x-vouch-timestamp'] as string | undefined,
          signature: delivery?.headers['x-vouch-signature'] as string | undefined,
        }),
      ).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    server.close();
  });
});
