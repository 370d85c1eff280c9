/**
 * The agents' WebSocket endpoint, GET /api/v1/agents/connect with an HTTP upgrade. The `ws`
 * library runs on the Fastify server's `upgrade` event (Fastify itself does not route upgrades):
 * the agent credential in `Authorization: Bearer` is checked BEFORE the upgrade, so a wrong or
 * revoked credential gets a plain 401 and never a socket. A credential revoked while connected
 * is noticed at the next heartbeat or result, and the socket is closed (CLOSE_REVOKED).
 *
 * Messages are the versioned JSON of src/agent/protocol.ts. A result is acknowledged only after
 * its transaction committed (AgentHub.storeResult), which is what lets the agent delete its spool
 * entry; a result for another agent's scan closes the socket (CLOSE_FORBIDDEN).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  AGENT_SOCKET_PATH,
  agentMessage,
  CLOSE_BAD_MESSAGE,
  CLOSE_FORBIDDEN,
  CLOSE_REVOKED,
  type ServerMessage,
} from '../../../agent/protocol.js';
import { verifyAgentCredential } from '../../auth/agents.js';
import { can } from '../../auth/rbac.js';
import type { AgentHub, AgentLink } from './hub.js';

/** A scan result with many thousands of rule results is several MB of JSON. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function bearer(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const match = header === undefined ? null : /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function registerAgentSocket(app: FastifyInstance, hub: AgentHub): void {
  const { storage } = app.deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // Queued scans whose job ran in another server process reach the agents connected here.
  app.addHook('onReady', async () => {
    hub.startSweeping(app.deps.agentSweepMs, (err) => app.log.error({ err }, 'agent scan sweep failed'));
  });

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== AGENT_SOCKET_PATH) {
      refuse(socket, 404, 'Not Found');
      return;
    }
    const token = bearer(request);
    const authenticate =
      token === undefined ? Promise.resolve(undefined) : verifyAgentCredential(storage, token);
    authenticate.then(
      (principal) => {
        if (
          principal === undefined ||
          !can(principal, 'agent:connect', { orgId: principal.orgId, agentId: principal.agentId })
        ) {
          refuse(socket, 401, 'Unauthorized');
          return;
        }
        if (principal.targetId === null) {
          refuse(socket, 403, 'Forbidden');
          return;
        }
        wss.handleUpgrade(request, socket, head, (ws) =>
          serve(ws, { agentId: principal.agentId, orgId: principal.orgId, targetId: principal.targetId! }),
        );
      },
      (err: unknown) => {
        app.log.error({ err }, 'agent authentication failed');
        refuse(socket, 500, 'Internal Server Error');
      },
    );
  });

  const serve = (ws: WebSocket, who: { agentId: string; orgId: string; targetId: string }) => {
    const log = app.log.child({ agentId: who.agentId });
    const link: AgentLink = {
      ...who,
      send: (message: ServerMessage) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
      },
      close: (code, reason) => ws.close(code, reason),
    };
    // Messages are handled one after another: a result is acked before the next one is read.
    let queue: Promise<void> = Promise.resolve();
    const stillValid = async (): Promise<boolean> => {
      const agent = await storage.agents.get(who.agentId);
      if (agent === undefined || agent.revokedAt !== null) {
        ws.close(CLOSE_REVOKED, 'agent credential revoked');
        return false;
      }
      return true;
    };
    const handle = async (raw: string) => {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        ws.close(CLOSE_BAD_MESSAGE, 'not JSON');
        return;
      }
      const parsed = agentMessage.safeParse(json);
      if (!parsed.success) {
        const type = (json as { type?: unknown } | null)?.type;
        ws.close(CLOSE_BAD_MESSAGE, `bad ${typeof type === 'string' ? type.slice(0, 40) : 'message'}`);
        return;
      }
      const message = parsed.data;
      if (!(await stillValid())) return;
      switch (message.type) {
        case 'hello': {
          await storage.agents.touch(who.agentId, {
            version: message.version,
            facts: { hostname: message.hostname, os: message.os, kernel: message.kernel },
          });
          hub.add(link);
          const sent = await hub.dispatchPending(link);
          log.info({ version: message.version, pendingScansSent: sent }, 'agent connected');
          return;
        }
        case 'heartbeat':
          await storage.agents.touch(who.agentId);
          return;
        case 'result': {
          if (
            !can({ kind: 'agent', ...who }, 'agent:results:write', { orgId: who.orgId, agentId: who.agentId })
          ) {
            ws.close(CLOSE_FORBIDDEN, 'not allowed to upload results');
            return;
          }
          const outcome = await hub.storeResult(link, message);
          if (outcome === 'forbidden') {
            log.warn({ scanId: message.scanId }, 'agent uploaded a result for a scan that is not its own');
            ws.close(CLOSE_FORBIDDEN, 'scan is not this agent\u2019s');
            return;
          }
          link.send({
            v: 1,
            type: 'ack',
            scanId: message.scanId,
            idempotencyKey: message.idempotencyKey,
            ...outcome,
          });
          return;
        }
      }
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(CLOSE_BAD_MESSAGE, 'text frames only');
        return;
      }
      const text = data.toString();
      queue = queue.then(() =>
        handle(text).catch((err: unknown) => {
          // Not acked: the agent keeps the result spooled and resends it after reconnecting.
          log.error({ err }, 'agent message failed');
          ws.close(1011, 'server error');
        }),
      );
    });
    ws.on('close', () => hub.remove(link));
    ws.on('error', (err) => log.warn({ err }, 'agent socket error'));
  };

  // Upgraded sockets are outside Fastify's connection tracking: close them so app.close() ends.
  app.addHook('preClose', async () => {
    hub.stopSweeping();
    hub.closeAll(1001, 'server shutting down');
    for (const client of wss.clients) client.terminate();
    await new Promise<void>((done) => wss.close(() => done()));
  });
}
