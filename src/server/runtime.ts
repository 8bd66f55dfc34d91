import type { Config } from './config.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { seedAccessMatrix } from './modules/access/seed.ts';
import { seedReferential } from './modules/referential/seed.ts';

/**
 * Opens the database and brings it up to date: migrations, then reference data. Shared by
 * the server and the CLI so both see the same schema.
 */
export async function openRuntimeDatabase(config: Config): Promise<DatabaseHandle> {
  const handle = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.databasePoolSize,
    onIdleClientError: (err) => process.stderr.write(`rpps-plus: database connection lost (${err.message}); reconnecting on next query\n`),
  });
  try {
    await migrateToLatest(handle.db);
    await seedReferential(handle.db, { soonAvailableProfessionsFrom: config.referential.soonAvailableProfessionsFrom });
    await seedAccessMatrix(handle.db);
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}
