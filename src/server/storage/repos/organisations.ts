import { isUniqueViolation, StorageError } from '../errors.js';
import { isId } from '../ids.js';
import type { Organisation } from '../types.js';
import { type RepoContext, stamp } from './context.js';

export function organisationsRepo(ctx: RepoContext) {
  return {
    async create(input: { name: string }): Promise<Organisation> {
      if (input.name.trim() === '') throw new StorageError('invalid', 'organisation name must not be empty');
      const { id, at } = stamp(ctx);
      const org: Organisation = { id, name: input.name, createdAt: at };
      try {
        await ctx.db
          .insertInto('organisations')
          .values({ id: org.id, name: org.name, created_at: org.createdAt })
          .execute();
      } catch (err) {
        if (isUniqueViolation(err)) throw new StorageError('conflict', `organisation "${input.name}" exists`);
        throw err;
      }
      return org;
    },

    async findByName(name: string): Promise<Organisation | undefined> {
      const row = await ctx.db
        .selectFrom('organisations')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirst();
      return row && { id: row.id, name: row.name, createdAt: row.created_at };
    },

    async get(id: string): Promise<Organisation | undefined> {
      if (!isId(id)) return undefined;
      const row = await ctx.db
        .selectFrom('organisations')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && { id: row.id, name: row.name, createdAt: row.created_at };
    },
  };
}
