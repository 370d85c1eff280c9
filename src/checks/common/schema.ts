/** Zod building blocks shared by the check-type spec schemas. */
import { z } from 'zod';

export const absolutePath = z.string().regex(/^\//, 'must be an absolute path');

export const missingSchema = z.enum(['fail', 'pass', 'notapplicable']);
export type Missing = z.output<typeof missingSchema>;

export const octalMode = z.string().regex(/^0?[0-7]{3,4}$/, 'must be an octal mode string such as "0640"');

/** A user or group: a name or a numeric id, or a list meaning any of them. */
export const principalSchema = z.union([
  z.string().min(1),
  z.number().int().nonnegative(),
  z.array(z.union([z.string().min(1), z.number().int().nonnegative()])).min(1),
]);

const REGEX_FLAGS = /^[dgimsuvy]*$/;

export const regexFlags = z
  .string()
  .regex(REGEX_FLAGS, 'must be JavaScript regex flags (dgimsuvy)')
  .refine((flags) => new Set(flags).size === flags.length, 'must not repeat a flag');

/** A JavaScript regex source that must compile. */
export const regexSource = z.string().superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regex: ${(error as Error).message}` });
  }
});

/** Why `new RegExp(source, flags)` would throw (e.g. the `u` and `v` flags together), or null. */
export function regexProblem(source: string, flags: string): string | null {
  try {
    new RegExp(source, flags);
    return null;
  } catch (error) {
    return `invalid regex with flags "${flags}": ${(error as Error).message}`;
  }
}

/** Drop-in directories plus a base-name glob. */
export const globSpec = z
  .object({
    dirs: z.array(absolutePath).min(1),
    pattern: z.string().min(1).default('*'),
  })
  .strict();

/** Formats zod issues as `field.path: problem` so a rule author sees which field is wrong. */
export function formatSpecIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
      const path = [...issue.path.map(String)];
      const where = keys.length > 0 ? [...path, keys.join(',')].join('.') : path.join('.') || '(spec)';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
