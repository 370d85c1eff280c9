/**
 * The agent's identity in its state directory: `credential.json` (mode 0600) holds the server URL,
 * agent id, target id and credential that enrollment returned. The enrollment token is used once;
 * every later start reads this file and needs no token.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VouchError } from '../core/errors.js';
import { writeFileDurably } from './files.js';

const credentialFile = z.object({
  server: z.string(),
  agentId: z.string(),
  targetId: z.string(),
  credential: z.string(),
});
export type AgentCredential = z.infer<typeof credentialFile>;

export function credentialPath(stateDir: string): string {
  return join(stateDir, 'credential.json');
}

export async function ensureStateDir(stateDir: string): Promise<void> {
  await mkdir(join(stateDir, 'spool'), { recursive: true, mode: 0o700 });
  await chmod(stateDir, 0o700);
}

export async function loadCredential(stateDir: string): Promise<AgentCredential | undefined> {
  const path = credentialPath(stateDir);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VouchError('INVALID_STATE', `${path}: not JSON; remove it and enroll again`);
  }
  const parsed = credentialFile.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? '?';
    throw new VouchError(
      'INVALID_STATE',
      `${path}: field "${field}" missing or wrong; remove it and enroll again`,
    );
  }
  return parsed.data;
}

export async function saveCredential(stateDir: string, credential: AgentCredential): Promise<void> {
  await writeFileDurably(credentialPath(stateDir), `${JSON.stringify(credential, null, 2)}\n`, 0o600);
}

/** POST /api/v1/agents/enroll: trade the one-time token for this agent's credential. */
export async function enroll(
  server: string,
  input: { token: string; name: string; version: string; facts: Record<string, unknown> },
): Promise<AgentCredential> {
  const url = new URL('/api/v1/agents/enroll', server);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201) {
    const message = typeof body.message === 'string' ? body.message : `HTTP ${res.status}`;
    throw new VouchError('ENROLL_FAILED', `enrollment at ${url.origin} failed: ${message}`);
  }
  return {
    server,
    agentId: String(body.agentId),
    targetId: String(body.targetId),
    credential: String(body.credential),
  };
}
