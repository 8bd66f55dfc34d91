import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './database.ts';
import { migrations } from './migrations/index.ts';

export async function migrateToLatest(db: Database): Promise<string[]> {
  // Features land in parallel branches of work: a migration may arrive with a name sorting
  // before one already applied. Each migration is independent, so apply it rather than refuse.
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Migrations the database has and this code does not know: a newer release migrated it (rolling
 * deployment, or a rollback of the code). Such a process must not migrate (Kysely would refuse
 * the "missing" migrations) but can serve: migrations are expand-only (docs/operations.md#migrations).
 */
export async function newerMigrations(db: Database): Promise<string[]> {
  const exists = await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  const applied = await db
    .selectFrom('kysely_migration' as never)
    .select(sql<string>`name`.as('name'))
    .execute();
  const known = new Set(Object.keys(migrations));
  return applied.map((r) => r.name).filter((name) => !known.has(name));
}
