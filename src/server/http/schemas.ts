/** Request schemas shared by routes. Objects are strict: an unknown field is a 400 naming it. */
import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../storage/pagination.js';

export const idParams = z.strictObject({ id: z.string().min(1).max(100) });

export const pageQuery = {
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
};

export const labelsSchema = z
  .record(z.string().min(1).max(100), z.string().max(200))
  .refine((l) => Object.keys(l).length <= 50, 'at most 50 labels');

/** `key=value,key2=value2` in a query string -> labels. */
export const labelSelectorQuery = z
  .string()
  .max(2000)
  .transform((text, ctx) => {
    const labels: Record<string, string> = {};
    for (const part of text.split(',')) {
      const eq = part.indexOf('=');
      if (eq <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not key=value` });
        return z.NEVER;
      }
      labels[part.slice(0, eq)] = part.slice(eq + 1);
    }
    return labels;
  });

/** `a,b` -> ['a', 'b'], each one of `values`. */
export function csvOf<T extends string>(values: readonly T[]) {
  return z
    .string()
    .max(500)
    .transform((text, ctx) => {
      const items = text.split(',').filter((s) => s !== '');
      for (const item of items) {
        if (!(values as readonly string[]).includes(item)) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not one of ${values.join(', ')}` });
          return z.NEVER;
        }
      }
      return items as T[];
    });
}

export const variableValue = z.union([z.string().max(10_000), z.number(), z.boolean()]);
