import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CamelCasePlugin, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { seedAccessMatrix } from '../modules/access/seed.ts';
import { seedReferential } from '../modules/referential/seed.ts';
import { createJobRuntime } from '../jobs/index.ts';
import { pgliteExtensions } from './database.ts';
import { migrateToLatest } from './migrate.ts';
import { pgliteBasePath } from './pglite-base.ts';
import type { DB } from './schema.ts';

/**
 * Run by `npm install` (postinstall): writes the embedded-database snapshot (see pglite-base.ts).
 * The snapshot only saves time: if it cannot be made, the install goes on (one warning line) and
 * the first start runs initdb and the seeds itself.
 */
async function prepare() {
  const pglite = await PGlite.create({ extensions: pgliteExtensions });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: new pg.Pool(createPgConfig(pglite)) }), plugins: [new CamelCasePlugin()] });
  await migrateToLatest(db);
  await seedReferential(db);
  await seedAccessMatrix(db);
  // pg-boss installs its own schema at its first start (≈ 2 s on PGlite): do it here once.
  const jobs = createJobRuntime({ database: { db, pglite }, databaseUrl: undefined, jobs: [], worker: false });
  await jobs.start();
  await jobs.stop();
  await db.destroy();
  const blob = await pglite.dumpDataDir('gzip');
  await pglite.close();
  fs.mkdirSync(path.dirname(pgliteBasePath), { recursive: true });
  fs.writeFileSync(`${pgliteBasePath}.tmp`, Buffer.from(await blob.arrayBuffer()));
  fs.renameSync(`${pgliteBasePath}.tmp`, pgliteBasePath);
}

try {
  await prepare();
} catch (err) {
  fs.rmSync(pgliteBasePath, { force: true });
  process.stderr.write(`rpps-plus: embedded database snapshot not made (${(err as Error).message}); the first start will be slower\n`);
}
