import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { accountRoutes } from './accounts.js';
import { agentRoutes } from './agents.js';
import { contentRoutes } from './content.js';
import { insightRoutes } from './insights.js';
import { scanConfigRoutes } from './scan-configs.js';
import { scanRoutes } from './scans.js';
import { systemRoutes } from './system.js';
import { targetRoutes } from './targets.js';

export const registerRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(systemRoutes);
  await app.register(
    async (api) => {
      await api.register(accountRoutes);
      await api.register(targetRoutes);
      await api.register(agentRoutes);
      await api.register(scanConfigRoutes);
      await api.register(scanRoutes);
      await api.register(insightRoutes);
      await api.register(contentRoutes);
    },
    { prefix: '/api/v1' },
  );
};
