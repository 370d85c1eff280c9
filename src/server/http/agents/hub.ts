/**
 * The agents that are connected right now, and what the server says to them. One hub per server
 * process: the WebSocket endpoint (socket.ts) adds and removes connections, the scan job handler
 * (scan-jobs.ts) asks it to dispatch scans of agent targets, GET /agents asks who is connected.
 *
 * Dispatch is state in the database, not in memory: a scan of an agent's target stays queued
 * until it is sent, and every connect (hello) sends all of the agent's queued and running scans.
 * So an agent that was offline, or a server that restarted, loses nothing; the agent ignores a
 * scan it is already running and resends a result it still has in its spool.
 *
 * Several server processes (one PostgreSQL): a scan's job may run in a process the agent is not
 * connected to, whose dispatch finds no link and leaves the scan queued. Every process therefore
 * sweeps, every few seconds, for queued scans of the agents connected to it (`sweep`), so such a
 * scan reaches its agent within one sweep interval without any signalling between processes.
 */
import type { Kysely } from 'kysely';
import type { ResultMessage, ScanMessage, ServerMessage } from '../../../agent/protocol.js';
import type { ScanResult } from '../../../core/results.js';
import type { SecretBox } from '../../crypto/secrets.js';
import { isUniqueViolation } from '../../storage/errors.js';
import { type Storage, StorageError } from '../../storage/index.js';
import { scansRepo } from '../../storage/repos/scans.js';
import type { Database } from '../../storage/schema.js';
import { scanConfigsStore } from '../stores/scan-configs.js';

export interface AgentLink {
  agentId: string;
  targetId: string;
  orgId: string;
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

export interface HubDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: () => Date;
  /** Told the number of connected agents after every change (the /metrics gauge). */
  onConnectedCount?: (count: number) => void;
}

/** The agent (not revoked) whose host a target is, if any. */
export async function agentOfTarget(
  db: Kysely<Database>,
  targetId: string,
): Promise<{ id: string; orgId: string } | undefined> {
  const row = await db
    .selectFrom('agents')
    .select(['id', 'org_id'])
    .where('target_id', '=', targetId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, orgId: row.org_id };
}

/** Default interval of the queued-scan sweep (ms). */
export const DEFAULT_SWEEP_MS = 5_000;
/** Targets per sweep query (bound parameter lists stay small on both backends). */
const SWEEP_BATCH = 500;

export class AgentHub {
  private readonly links = new Map<string, AgentLink>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<number> | undefined;
  constructor(private readonly deps: HubDeps) {}

  /**
   * Sends every queued scan of a connected agent's target; returns how many were sent. One query
   * per SWEEP_BATCH connected agents, so the cost follows the connections, not the history.
   */
  sweep(): Promise<number> {
    this.sweeping ??= (async () => {
      try {
        const byTarget = new Map([...this.links.values()].map((l) => [l.targetId, l]));
        const targets = [...byTarget.keys()];
        let sent = 0;
        for (let i = 0; i < targets.length; i += SWEEP_BATCH) {
          const rows = await this.deps.storage.db
            .selectFrom('scans')
            .select('id')
            .where('target_id', 'in', targets.slice(i, i + SWEEP_BATCH))
            .where('status', '=', 'queued')
            .orderBy('id')
            .execute();
          for (const row of rows) if (await this.dispatch(row.id)) sent++;
        }
        return sent;
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  /** Sweeps every `intervalMs` until `stopSweeping` (the timer never keeps the process alive). */
  startSweeping(intervalMs = DEFAULT_SWEEP_MS, onError: (err: unknown) => void = () => undefined): void {
    this.stopSweeping();
    this.sweepTimer = setInterval(() => {
      if (this.links.size > 0) this.sweep().catch(onError);
    }, intervalMs);
    this.sweepTimer.unref();
  }

  stopSweeping(): void {
    if (this.sweepTimer !== undefined) clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  isConnected(agentId: string): boolean {
    return this.links.has(agentId);
  }

  /** A newer connection of the same agent replaces the older one. */
  add(link: AgentLink): void {
    const old = this.links.get(link.agentId);
    this.links.set(link.agentId, link);
    this.deps.onConnectedCount?.(this.links.size);
    if (old !== undefined && old !== link) old.close(4409, 'replaced by a newer connection');
  }

  remove(link: AgentLink): void {
    if (this.links.get(link.agentId) === link) this.links.delete(link.agentId);
    this.deps.onConnectedCount?.(this.links.size);
  }

  closeAll(code: number, reason: string): void {
    for (const link of this.links.values()) link.close(code, reason);
    this.links.clear();
    this.deps.onConnectedCount?.(0);
  }

  /**
   * Send one scan to its agent if it is connected; true when sent. A queued scan becomes running
   * as it is sent (a guarded UPDATE, so two dispatches cannot both start it).
   */
  async dispatch(scanId: string): Promise<boolean> {
    const scan = await this.deps.storage.scans.get(scanId);
    if (scan === undefined || (scan.status !== 'queued' && scan.status !== 'running')) return false;
    const owner = await agentOfTarget(this.deps.storage.db, scan.targetId);
    const link = owner && this.links.get(owner.id);
    if (link === undefined) return false;
    link.send(await this.scanMessage(scan.id, scan.profileId, scan.scanConfigId));
    if (scan.status === 'queued') {
      await this.deps.storage.scans.updateStatus(scan.id, 'running').catch((err: unknown) => {
        if (!(err instanceof StorageError && err.code === 'invalid_transition')) throw err;
      });
    }
    return true;
  }

  /** Everything this agent's target has waiting: sent at every connect. */
  async dispatchPending(link: AgentLink): Promise<number> {
    const rows = await this.deps.storage.db
      .selectFrom('scans')
      .select('id')
      .where('target_id', '=', link.targetId)
      .where('status', 'in', ['queued', 'running'])
      .orderBy('created_at')
      .execute();
    let sent = 0;
    for (const row of rows) if (await this.dispatch(row.id)) sent++;
    return sent;
  }

  private async scanMessage(
    scanId: string,
    profileId: string | null,
    scanConfigId: string | null,
  ): Promise<ScanMessage> {
    const variables: string[] = [];
    if (scanConfigId !== null) {
      const configs = scanConfigsStore({
        db: this.deps.storage.db,
        clock: this.deps.clock,
        secrets: this.deps.secrets,
      });
      const config = await configs.get(scanConfigId);
      const all = { ...config?.variables, ...(await configs.openSensitive(scanConfigId)) };
      for (const [name, value] of Object.entries(all)) variables.push(`${name}=${String(value)}`);
    }
    return { v: 1, type: 'scan', scanId, profile: profileId, rules: null, variables };
  }

  /**
   * Store an uploaded result. The agent may only complete scans of its own target. Idempotent:
   * a result for a scan that is already completed is acknowledged without storing anything, so
   * a resent spool entry is harmless. Returns the ack to send, only after the commit.
   */
  async storeResult(
    link: AgentLink,
    message: ResultMessage,
  ): Promise<{ stored: boolean; reason?: string } | 'forbidden'> {
    const { storage, clock } = this.deps;
    const scan = await storage.scans.get(message.scanId);
    if (scan === undefined || scan.targetId !== link.targetId || scan.orgId !== link.orgId)
      return 'forbidden';
    if (scan.status === 'completed') return { stored: false, reason: 'already stored' };
    try {
      await storage.db.transaction().execute(async (trx) => {
        await scansRepo({ db: trx, clock }).complete(scan.id, message.result as unknown as ScanResult);
        // The key makes the upload traceable and, being unique per organisation, refuses a
        // second scan claiming the same upload.
        await trx
          .updateTable('scans')
          .set({ idempotency_key: message.idempotencyKey, agent_id: link.agentId })
          .where('id', '=', scan.id)
          .execute();
      });
    } catch (err) {
      // The key names another scan's upload: refuse it like a foreign scan (closing the socket),
      // rather than failing the transaction on every resend.
      if (isUniqueViolation(err)) return 'forbidden';
      if (err instanceof StorageError && err.code === 'invalid_transition') {
        const now = await storage.scans.get(scan.id);
        return { stored: false, reason: `scan is ${now?.status ?? 'gone'}` };
      }
      throw err;
    }
    return { stored: true };
  }
}
