/**
 * The agent WebSocket protocol, version 1: JSON text frames `{v: 1, type, ...}`. Shared by the
 * server endpoint (src/server/http/agents) and `vouch agent`, so both sides parse the same shapes.
 *
 * agent -> server: hello (once, first), heartbeat, result.
 * server -> agent: scan (run this scan), ack (this result is committed; drop it from the spool).
 */
import { z } from 'zod';

export const PROTOCOL_VERSION = 1;
/** Where agents connect (an HTTP upgrade with `Authorization: Bearer <agent credential>`). */
export const AGENT_SOCKET_PATH = '/api/v1/agents/connect';
/** Close codes: the agent must not reconnect with the same credential after these. */
export const CLOSE_REVOKED = 4401;
export const CLOSE_FORBIDDEN = 4403;
export const CLOSE_BAD_MESSAGE = 4400;
export const CLOSE_REPLACED = 4409;

/** A ScanResult as far as the server needs to trust its shape before storing it. */
const scanResultShape = z
  .object({
    startedAt: z.string(),
    finishedAt: z.string(),
    summary: z.object({ score: z.object({ default: z.number().nullable() }).passthrough() }).passthrough(),
    results: z.array(z.object({ ruleId: z.string() }).passthrough()),
  })
  .passthrough();

export const helloMessage = z.object({
  v: z.literal(1),
  type: z.literal('hello'),
  version: z.string().max(100),
  hostname: z.string().max(255),
  os: z.string().max(255).nullable(),
  kernel: z.string().max(255).nullable(),
});
export const heartbeatMessage = z.object({ v: z.literal(1), type: z.literal('heartbeat') });
export const resultMessage = z.object({
  v: z.literal(1),
  type: z.literal('result'),
  scanId: z.string().min(1).max(100),
  idempotencyKey: z.string().min(1).max(200),
  result: scanResultShape,
});
export const agentMessage = z.discriminatedUnion('type', [helloMessage, heartbeatMessage, resultMessage]);
export type AgentMessage = z.infer<typeof agentMessage>;
export type ResultMessage = z.infer<typeof resultMessage>;

export const scanMessage = z.object({
  v: z.literal(1),
  type: z.literal('scan'),
  scanId: z.string(),
  profile: z.string().nullable(),
  rules: z.array(z.string()).nullable(),
  /** `name=value` overrides, as `vouch scan --var`. */
  variables: z.array(z.string()),
});
export const ackMessage = z.object({
  v: z.literal(1),
  type: z.literal('ack'),
  idempotencyKey: z.string(),
  scanId: z.string(),
  /** false when the scan was not stored (cancelled, failed meanwhile): the agent drops it anyway. */
  stored: z.boolean(),
  reason: z.string().optional(),
});
export const serverMessage = z.discriminatedUnion('type', [scanMessage, ackMessage]);
export type ScanMessage = z.infer<typeof scanMessage>;
export type AckMessage = z.infer<typeof ackMessage>;
export type ServerMessage = z.infer<typeof serverMessage>;

/** The idempotency key of a server-assigned scan's result: the same on every retry and rerun. */
export function resultKey(scanId: string): string {
  return `scan-${scanId}`;
}
