/**
 * The rule model and its schema. Rules are data: the loader validates them with these schemas and
 * the engine never sees an unvalidated rule.
 */
import { z } from 'zod';
import { SEVERITIES } from '../results.js';

const KEBAB_ID = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;

export const checkRefSchema = z
  .object({
    type: z.string().min(1),
    spec: z.unknown().default({}),
  })
  .strict();

export const remediationSchema = z
  .object({
    bash: z.string().optional(),
    ansible: z.string().optional(),
    manual: z.string().optional(),
  })
  .strict();

export const applicabilitySchema = z
  .object({
    /** os-release ID or ID_LIKE, optionally with a version constraint: `debian>=12`, `ubuntu=22.04`. */
    platforms: z.array(z.string().regex(/^[a-z0-9._-]+(?:(?:>=|<=|=|>|<)[0-9][0-9.]*)?$/)).optional(),
    /** A check that must pass for the rule to apply; otherwise the rule is notapplicable. */
    when: checkRefSchema.optional(),
  })
  .strict();

export const ruleSchema = z
  .object({
    id: z.string().regex(KEBAB_ID, 'must be a kebab-case id'),
    title: z.string().min(1),
    description: z.string().min(1),
    rationale: z.string().min(1),
    severity: z.enum(SEVERITIES),
    section: z.string().optional(),
    weight: z.number().nonnegative().default(1),
    references: z.record(z.string(), z.array(z.string())).default({}),
    applicability: applicabilitySchema.optional(),
    variables: z.array(z.string()).default([]),
    check: checkRefSchema,
    remediation: remediationSchema.default({}),
  })
  .strict();

export type Rule = z.output<typeof ruleSchema> & { section: string; source?: SourceLocation };
export type Applicability = z.output<typeof applicabilitySchema>;

/** Where a rule, profile or variable was defined, for error messages. */
export interface SourceLocation {
  file: string;
  line?: number;
}
