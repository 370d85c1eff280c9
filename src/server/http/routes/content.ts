/** The built-in rules and profiles: search by id or title, framework filter, a profile's variables. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SEVERITIES } from '../../../core/results.js';
import type { Rule } from '../../../core/rules/rule.js';
import { SENSITIVE_MASK } from '../../../core/rules/variables.js';
import { notFound } from '../errors.js';

const ruleSummary = (rule: Rule) => ({
  id: rule.id,
  title: rule.title,
  severity: rule.severity,
  section: rule.section,
  references: rule.references,
  variables: rule.variables,
});

export const contentRoutes: FastifyPluginAsyncZod = async (app) => {
  const { content } = app.deps;

  app.get(
    '/rules',
    {
      config: { action: 'rules:read' },
      schema: {
        tags: ['content'],
        querystring: z.strictObject({
          q: z.string().max(200).optional(),
          framework: z.string().max(100).optional(),
          severity: z.enum(SEVERITIES).optional(),
          profileId: z.string().max(200).optional(),
          offset: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().min(1).max(500).default(50),
        }),
      },
    },
    async (request) => {
      const { offset, limit, ...filter } = request.query;
      const rules = await content.rules(filter);
      const items = rules.slice(offset, offset + limit).map(ruleSummary);
      return {
        items,
        total: rules.length,
        nextOffset: offset + limit < rules.length ? offset + limit : null,
      };
    },
  );

  app.get(
    '/rules/:id',
    {
      config: { action: 'rules:read' },
      schema: { tags: ['content'], params: z.strictObject({ id: z.string().max(200) }) },
    },
    async (request) => {
      const rule = (await content.content()).rules.find((r) => r.id === request.params.id);
      if (rule === undefined) throw notFound(`rule ${request.params.id}`);
      const { source: _source, ...rest } = rule;
      return rest;
    },
  );

  app.get(
    '/profiles',
    {
      config: { action: 'rules:read' },
      schema: { tags: ['content'], querystring: z.strictObject({ q: z.string().max(200).optional() }) },
    },
    async (request) => {
      const q = request.query.q?.toLowerCase();
      const profiles = [...(await content.content()).profiles.values()].filter(
        (p) => q === undefined || p.id.includes(q) || p.title.toLowerCase().includes(q),
      );
      const items = await Promise.all(
        profiles.map(async (p) => ({
          id: p.id,
          title: p.title,
          description: p.description,
          platforms: p.platforms,
          extends: p.extends,
          rules: (await content.profile(p.id, 'id')).ruleIds.length,
        })),
      );
      return { items };
    },
  );

  app.get(
    '/profiles/:id',
    {
      config: { action: 'rules:read' },
      schema: { tags: ['content'], params: z.strictObject({ id: z.string().max(200) }) },
    },
    async (request) => {
      const catalogue = await content.content();
      const profile = catalogue.profiles.get(request.params.id);
      if (profile === undefined) throw notFound(`profile ${request.params.id}`);
      const resolved = await content.profile(profile.id, 'id');
      const variables = (await content.profileVariables(profile.id)).map((v) => ({
        name: v.name,
        type: v.type,
        description: v.description,
        default: v.sensitive ? SENSITIVE_MASK : v.value,
        ...(v.min !== undefined ? { min: v.min } : {}),
        ...(v.max !== undefined ? { max: v.max } : {}),
        ...(v.choices !== undefined ? { choices: v.choices } : {}),
        ...(v.pattern !== undefined ? { pattern: v.pattern } : {}),
        sensitive: v.sensitive,
      }));
      return {
        id: profile.id,
        title: profile.title,
        description: profile.description,
        platforms: profile.platforms,
        extends: profile.extends,
        ruleIds: resolved.ruleIds,
        variables,
      };
    },
  );
};
