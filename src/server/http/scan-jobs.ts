/**
 * Scans as jobs. Starting a scan stores the scan row (queued), its audit entry and the job that
 * runs it in ONE transaction (ADR 0006), so a crash can neither lose a requested scan nor leave
 * a job without its scan. The `scan.run` handler runs the scan in this process through the same
 * code as `vouch scan` (openTarget -> openScanSession -> runSessionScan) and stores the result
 * with `scans.complete` (scan row and every rule result in one transaction). SSH targets are
 * scanned through the CLI's SSH transport with the target's stored key and known host; a
 * connection that fails (unreachable, host key unknown or changed, key refused) fails the scan
 * at once with the transport's one-line message.
 *
 * Jobs are delivered at least once, so the handler is idempotent: a scan that is already
 * finished is left alone, and `complete` refuses a second completion.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { VouchError } from '../../core/errors.js';
import { openScanSession, runSessionScan } from '../../scan/run-scan.js';
import { openTarget } from '../../targets/index.js';
import type { SecretBox } from '../crypto/secrets.js';
import { type JobHandler, jobQueue, PermanentJobError } from '../jobs/index.js';
import { SCHEDULED_SCAN_JOB } from '../schedule/index.js';
import { type Storage, StorageError } from '../storage/index.js';
import { auditRepo } from '../storage/repos/audit.js';
import { scansRepo } from '../storage/repos/scans.js';
import { targetsRepo } from '../storage/repos/targets.js';
import type { Database } from '../storage/schema.js';
import type { Scan, ScanTrigger, Target } from '../storage/types.js';
import { type AgentHub, agentOfTarget } from './agents/hub.js';
import type { ContentCatalogue } from './content.js';
import type { ServerMetrics } from './metrics.js';
import { type ScanConfig, scanConfigsStore } from './stores/scan-configs.js';
import { lineFingerprint, transportOptions } from './stores/target-connection.js';
import { updateTarget } from './stores/targets.js';

export const SCAN_RUN_JOB = 'scan.run';

export interface ScanDeps {
  storage: Storage;
  secrets: SecretBox;
  clock: () => Date;
  content: ContentCatalogue;
  metrics?: ServerMetrics;
  /** Connected agents; without it, scans of agent targets wait queued for an agent to connect. */
  agents?: AgentHub;
}

export interface StartScansInput {
  orgId: string;
  actor: string;
  trigger: ScanTrigger;
  targets: Target[];
  scanConfig?: ScanConfig | null;
  profileId?: string | null;
  /** Makes each enqueue idempotent (scheduled runs): `<prefix>:<targetId>`. */
  dedupePrefix?: string;
}

/** Queued scans, their audit entries and their jobs, all or nothing. */
export async function startScans(deps: ScanDeps, input: StartScansInput): Promise<Scan[]> {
  const { storage, clock } = deps;
  return storage.db.transaction().execute(async (trx: Kysely<Database>) => {
    const scans = scansRepo({ db: trx, clock });
    const audit = auditRepo({ db: trx, clock });
    const queue = jobQueue({ db: trx, dialect: storage.dialect }, { clock });
    const started: Scan[] = [];
    for (const target of input.targets) {
      const scan = await scans.create({
        orgId: input.orgId,
        targetId: target.id,
        trigger: input.trigger,
        scanConfigId: input.scanConfig?.id ?? null,
        profileId: input.profileId ?? input.scanConfig?.profileId ?? null,
      });
      await audit.append({
        orgId: input.orgId,
        actor: input.actor,
        action: 'scan.trigger',
        subject: `scan:${scan.id}`,
        details: {
          targetId: target.id,
          trigger: input.trigger,
          scanConfigId: scan.scanConfigId,
          profileId: scan.profileId,
        },
      });
      await queue.enqueue(
        SCAN_RUN_JOB,
        { scanId: scan.id },
        input.dedupePrefix !== undefined ? { dedupeKey: `${input.dedupePrefix}:${target.id}` } : {},
      );
      started.push(scan);
    }
    return started;
  });
}

/** The targets a configuration names: its explicit ids (of its organisation) or its label selector. */
export async function configTargets(storage: Storage, config: ScanConfig): Promise<Target[]> {
  if (config.targetIds !== null) {
    const found = await Promise.all(config.targetIds.map((id) => storage.targets.get(id)));
    return found.filter((t): t is Target => t !== undefined && t.orgId === config.orgId);
  }
  const targets: Target[] = [];
  let cursor: string | null = null;
  do {
    const page = await storage.targets.list({
      orgId: config.orgId,
      labels: config.labelSelector ?? {},
      cursor,
      limit: 500,
    });
    targets.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return targets;
}

const runPayload = z.object({ scanId: z.string() });

/**
 * A host key accepted under insecureAcceptNew becomes the target's known host, as ssh's
 * accept-new appends to known_hosts: later scans then refuse any other key. Only when the
 * connection still trusts nothing (a concurrent edit or scan wins).
 */
async function learnHostKey(deps: ScanDeps, target: Target, line: string): Promise<void> {
  await deps.storage.db.transaction().execute(async (trx) => {
    const current = await targetsRepo({ db: trx, clock: deps.clock }).get(target.id);
    const connection = current?.connection;
    if (
      current === undefined ||
      connection?.type !== 'ssh' ||
      connection.url !== target.connection?.url ||
      connection.knownHosts !== undefined ||
      connection.hostKeyFingerprint !== undefined
    )
      return;
    await updateTarget({ trx, clock: deps.clock, secrets: deps.secrets }, current, {
      connection: { ...connection, knownHosts: `${line}\n` },
    });
    await auditRepo({ db: trx, clock: deps.clock }).append({
      orgId: current.orgId,
      actor: 'system',
      action: 'target.host_key_learned',
      subject: `target:${current.id}`,
      details: { url: connection.url, hostKey: lineFingerprint(line) },
    });
  });
}

export function scanRunHandler(deps: ScanDeps): JobHandler<z.infer<typeof runPayload>> {
  const { storage } = deps;
  const configs = scanConfigsStore({ db: storage.db, clock: deps.clock, secrets: deps.secrets });
  const fail = async (scan: Scan, message: string) => {
    await storage.scans.updateStatus(scan.id, 'failed', { error: message }).catch(() => undefined);
    deps.metrics?.scansFinished.inc({ status: 'failed' });
  };
  return {
    parse: (payload) => runPayload.parse(payload),
    async run({ payload, job, signal }) {
      const scan = await storage.scans.get(payload.scanId);
      if (scan === undefined) throw new PermanentJobError(`scan ${payload.scanId} no longer exists`);
      if (scan.status !== 'queued' && scan.status !== 'running') return { skipped: scan.status };
      // An agent's host is scanned by the agent, never from here: send the scan if the agent is
      // connected; otherwise it stays queued and goes out when the agent connects (AgentHub).
      const owner = await agentOfTarget(storage.db, scan.targetId);
      if (owner !== undefined) {
        const sent = (await deps.agents?.dispatch(scan.id)) ?? false;
        return { agentId: owner.id, sent };
      }
      if (scan.status === 'queued') await storage.scans.updateStatus(scan.id, 'running');
      const started = performance.now();
      try {
        const target = await storage.targets.get(scan.targetId);
        if (target === undefined) throw new PermanentJobError(`target ${scan.targetId} no longer exists`);
        const vars: string[] = [];
        if (scan.scanConfigId !== null) {
          const config = await configs.get(scan.scanConfigId);
          const all = { ...config?.variables, ...(await configs.openSensitive(scan.scanConfigId)) };
          for (const [name, value] of Object.entries(all)) vars.push(`${name}=${String(value)}`);
        }
        const transport = await openTarget(
          transportOptions(target, await storage.targets.sealedCredentials(target.id), deps.secrets, (line) =>
            learnHostKey(deps, target, line),
          ),
        );
        let result: Awaited<ReturnType<typeof runSessionScan>>['result'];
        try {
          const session = await openScanSession({
            transport,
            contentDir: deps.content.dir,
            ...(deps.content.options.cacheDir !== undefined
              ? { cacheDir: deps.content.options.cacheDir }
              : {}),
            ...(scan.profileId !== null ? { profile: scan.profileId } : {}),
            vars,
          });
          ({ result } = await runSessionScan(session));
        } finally {
          await transport.close();
        }
        // Cancelled while running: the scan row says so already; do not resurrect it.
        if (signal.aborted) return { aborted: true };
        let stored: Scan;
        try {
          stored = await storage.scans.complete(scan.id, result);
        } catch (err) {
          // Cancelled (or finished by another worker) meanwhile: that state stands.
          if (err instanceof StorageError && err.code === 'invalid_transition')
            return { skipped: err.message };
          throw err;
        }
        deps.metrics?.scanDuration.observe({ status: 'completed' }, (performance.now() - started) / 1000);
        deps.metrics?.scansFinished.inc({ status: 'completed' });
        return { scanId: stored.id, score: stored.score };
      } catch (err) {
        // A user error (no profile for this OS, bad variable) or a vanished target will not get
        // better by retrying; other errors are retried until the last attempt.
        if (err instanceof VouchError || err instanceof PermanentJobError) {
          await fail(scan, err.message);
          deps.metrics?.scanDuration.observe({ status: 'failed' }, (performance.now() - started) / 1000);
          throw err instanceof PermanentJobError ? err : new PermanentJobError(err.message);
        }
        if (job.attempts >= job.maxAttempts) await fail(scan, (err as Error).message ?? String(err));
        throw err;
      }
    },
  };
}

const scheduledPayload = z.object({ scanConfigId: z.string() });

/** A schedule fired: one scan per target of the configuration, each enqueued exactly once. */
export function scheduledScanHandler(deps: ScanDeps): JobHandler<z.infer<typeof scheduledPayload>> {
  const configs = scanConfigsStore({ db: deps.storage.db, clock: deps.clock, secrets: deps.secrets });
  return {
    parse: (payload) => scheduledPayload.parse(payload),
    async run({ payload, job }) {
      const config = await configs.get(payload.scanConfigId);
      if (config === undefined) return { skipped: 'scan configuration deleted' };
      // At-least-once delivery: a rerun of this job finds the jobs its first run committed (the
      // scans, audit entries and jobs are one transaction, so it is all of them or none).
      const prefix = `scheduled-scan:${job.id}`;
      const done = await deps.storage.db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', 'like', `${prefix}:%`)
        .executeTakeFirst();
      if (done !== undefined) return { skipped: 'already started' };
      const targets = await configTargets(deps.storage, config);
      const scans = await startScans(deps, {
        orgId: config.orgId,
        actor: 'system',
        trigger: 'schedule',
        targets,
        scanConfig: config,
        dedupePrefix: prefix,
      });
      return { scans: scans.map((s) => s.id) };
    },
  };
}

export function scanJobHandlers(deps: ScanDeps): Record<string, JobHandler<never>> {
  return {
    [SCAN_RUN_JOB]: scanRunHandler(deps) as JobHandler<never>,
    [SCHEDULED_SCAN_JOB]: scheduledScanHandler(deps) as JobHandler<never>,
  };
}
