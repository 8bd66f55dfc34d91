import type { LogEvent } from 'kysely';
import pg from 'pg';
import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest, newerMigrations } from './db/migrate.ts';
import { seedAccessMatrix } from './modules/access/seed.ts';
import { seedReferential } from './modules/referential/seed.ts';

/** Key of the session advisory lock under which one process at a time migrates and seeds. */
export const migrationLockKey = 'rpps_plus_migrations';

export interface RuntimeDatabaseOptions {
  onQuery?: (event: LogEvent) => void;
  /** Told once when another process holds the migration lock and this one waits for it. */
  onWait?: () => void;
  /** Told when the database was migrated by a newer release (this process serves without migrating). */
  onNewerSchema?: (names: string[]) => void;
}

/**
 * Opens the database and brings it up to date: migrations, then reference data. Shared by
 * the server and the CLI so both see the same schema. On PostgreSQL several processes may start
 * at once (rolling restart, cluster): one migrates under a session advisory lock held on its own
 * connection, the others wait for it, then find nothing left to do.
 */
export async function openRuntimeDatabase(config: Config, options: RuntimeDatabaseOptions = {}): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    onIdleClientError: (err) => process.stderr.write(`rpps-plus: database connection lost (${err.message}); reconnecting on next query\n`),
    onQuery: options.onQuery,
  });
  try {
    const lock = config.databaseUrl ? await takeMigrationLock(config.databaseUrl, options.onWait) : undefined;
    try {
      const newer = await newerMigrations(handle.db);
      if (newer.length > 0) {
        options.onNewerSchema?.(newer);
      } else {
        await migrateToLatest(handle.db);
        await seedReferential(handle.db, { soonAvailableProfessionsFrom: config.referential.soonAvailableProfessionsFrom });
        await seedAccessMatrix(handle.db);
      }
    } finally {
      await lock?.release();
    }
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

async function takeMigrationLock(databaseUrl: string, onWait?: () => void) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const got = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtext($1)) as ok`, [migrationLockKey]);
    if (!got.rows[0]?.ok) {
      onWait?.();
      await client.query(`select pg_advisory_lock(hashtext($1))`, [migrationLockKey]);
    }
  } catch (err) {
    await client.end();
    throw err;
  }
  return {
    async release() {
      // Ending the session releases the lock even if the unlock fails.
      await client.query(`select pg_advisory_unlock(hashtext($1))`, [migrationLockKey]).catch(() => undefined);
      await client.end();
    },
  };
}
