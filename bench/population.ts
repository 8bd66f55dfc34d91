import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';
import type { Database } from '../src/server/db/database.ts';
import { migrations } from '../src/server/db/migrations/index.ts';
import { loadDemoData } from '../src/server/demo.ts';
import { openRuntimeDatabase } from '../src/server/runtime.ts';
import { dropDatabase } from '../tests/support/drop-database.ts';
import { seedDirectory } from './directory-seed.ts';
import { seedPersons } from './person-population.ts';

/**
 * The national population of the benchmarks, seeded once and reused by the next runs (issue 18):
 * BENCH_DIRECTORY_SIZE professionals in the public directory (default 3,000,000 on PostgreSQL,
 * about 3.9 M situations) and BENCH_PERSONS persons in the register (default 3,000,000), both
 * generated set-based in SQL (generate_series: bench/directory-seed.ts, bench/person-population.ts).
 * PGlite (single-threaded WASM) gets 300,000 of each by default.
 *
 * Reuse: on PostgreSQL the population lives in its own database named after DATABASE_URL's and the
 * sizes (`<db>_pop_d<directory>_p<persons>`), on PGlite in a data directory of the same name under
 * the temp directory. A table `bench_population` records the seed version, the sizes and when the
 * seeding ended; a later run reuses the database when they match and every migration the database
 * has is one this code knows (migrations this code adds since are applied on the seeded rows, as
 * in production). Otherwise (other seed version, a migration of another branch, seeding cut short)
 * it is dropped and seeded again. BENCH_RESEED=1 forces a new seeding.
 *
 * The benchmarks that write (registrations, extraction files) write into it; they pick their own
 * new identities each run (`benchIdentityBlock`).
 */
export const populationSeedVersion = 1;

export interface PopulationSizes {
  directory: number;
  persons: number;
}

export function populationSizes(backend: 'postgres' | 'pglite'): PopulationSizes {
  const fallback = backend === 'postgres' ? 3_000_000 : 300_000;
  return {
    directory: Number(process.env.BENCH_DIRECTORY_SIZE ?? fallback),
    persons: Number(process.env.BENCH_PERSONS ?? fallback),
  };
}

export interface PopulationReport {
  reused: boolean;
  /** Seconds the seeding took (when this run seeded it, or when it was seeded). */
  seedSeconds: number;
  seededAt: Date;
  directory: { practitioners: number; roles: number };
  persons: number;
}

function benchConfig(env: Record<string, string | undefined>) {
  return loadConfig({
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    RATE_LIMIT_MACHINE_PER_MINUTE: '1000000',
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    ...env,
  });
}

interface Marker {
  seedVersion: number;
  directory: number;
  persons: number;
  seconds: number;
  seededAt: Date;
  practitioners: number;
  roles: number;
}

async function readMarker(db: Database): Promise<Marker | undefined> {
  const exists = await sql<{ present: boolean }>`select to_regclass('bench_population') is not null as present`.execute(db);
  if (!exists.rows[0]?.present) return undefined;
  // Column names come back in camelCase (the database's CamelCasePlugin).
  const r = await sql<Marker>`select seed_version, directory, persons, seconds, seeded_at, practitioners, roles from bench_population`.execute(db);
  return r.rows[0];
}

/** Migrations recorded in the database that this code does not know (another branch's): the database cannot be reused. */
async function foreignMigrations(client: pg.Client): Promise<string[]> {
  const exists = await client.query<{ present: boolean }>(`select to_regclass('kysely_migration') is not null as present`);
  if (!exists.rows[0]?.present) return [];
  const applied = await client.query<{ name: string }>('select name from kysely_migration');
  return applied.rows.map((r) => r.name).filter((n) => !(n in migrations));
}

async function seed(db: Database, sizes: PopulationSizes, log: (line: string) => void): Promise<Marker> {
  const started = performance.now();
  await sql`drop table if exists bench_population`.execute(db);
  log(`seeding ${sizes.directory.toLocaleString('en')} directory professionals…`);
  const directory = await seedDirectory(db, sizes.directory);
  log(`  ${directory.practitioners.toLocaleString('en')} professionals, ${directory.roles.toLocaleString('en')} situations, ${directory.structures} structures in ${directory.seconds.toFixed(1)} s`);
  const personsStarted = performance.now();
  log(`seeding ${sizes.persons.toLocaleString('en')} register persons…`);
  await seedPersons(db, sizes.persons);
  await sql`VACUUM (ANALYZE) person`.execute(db);
  log(`  persons in ${((performance.now() - personsStarted) / 1000).toFixed(1)} s`);
  const marker: Marker = {
    seedVersion: populationSeedVersion,
    ...sizes,
    seconds: (performance.now() - started) / 1000,
    seededAt: new Date(),
    practitioners: directory.practitioners,
    roles: directory.roles,
  };
  await sql`create table bench_population (seed_version int not null, directory int not null, persons int not null, seconds float8 not null,
    seeded_at timestamptz not null, practitioners int not null, roles int not null)`.execute(db);
  await sql`insert into bench_population values (${marker.seedVersion}, ${marker.directory}, ${marker.persons}, ${marker.seconds}, ${marker.seededAt},
    ${marker.practitioners}, ${marker.roles})`.execute(db);
  return marker;
}

const matches = (m: Marker | undefined, sizes: PopulationSizes) =>
  m !== undefined && m.seedVersion === populationSeedVersion && m.directory === sizes.directory && m.persons === sizes.persons;

/**
 * Opens the population database (migrated, demo data loaded), seeding it first when it is missing
 * or does not match. `close()` keeps it for the next run.
 */
export async function openPopulationBenchDatabase(log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const probe = benchConfig({});
  const backend = probe.databaseUrl ? 'postgres' : 'pglite';
  const sizes = populationSizes(backend);
  const reseed = process.env.BENCH_RESEED === '1';
  let config = probe;
  let admin: pg.Client | undefined;
  if (probe.databaseUrl) {
    const url = new URL(probe.databaseUrl);
    const name = `${url.pathname.slice(1)}_pop_d${sizes.directory}_p${sizes.persons}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 63);
    admin = new pg.Client({ connectionString: probe.databaseUrl });
    await admin.connect();
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1;
    url.pathname = `/${name}`;
    let usable = exists && !reseed;
    if (usable) {
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const foreign = await foreignMigrations(client);
        if (foreign.length > 0) {
          log(`population database ${name}: migrations unknown to this code (${foreign.join(', ')}): seeding again`);
          usable = false;
        }
      } finally {
        await client.end();
      }
    }
    if (exists && !usable) await dropDatabase(admin, name, { attempts: 30, delayMs: 2000 });
    if (!usable) await admin.query(`CREATE DATABASE ${name}`);
    config = { ...probe, databaseUrl: url.toString() };
  } else {
    const dataDir = path.join(os.tmpdir(), `rpps-bench-pop-d${sizes.directory}-p${sizes.persons}`);
    if (reseed) fs.rmSync(dataDir, { recursive: true, force: true });
    config = benchConfig({ DATA_DIR: dataDir });
  }

  const handle = await openRuntimeDatabase(config);
  let restart = false;
  try {
    await loadDemoData(handle.db);
    let marker = await readMarker(handle.db);
    const reused = matches(marker, sizes);
    if (!reused) {
      // A seeding cut short, or of other sizes in a data directory of the same name: start again empty.
      restart = marker !== undefined || (await sql<{ n: number }>`select count(*)::int as n from directory_practitioner`.execute(handle.db)).rows[0]!.n > 0;
      if (!restart) marker = await seed(handle.db, sizes, log);
    } else {
      // Sets the visibility map of rows a new migration wrote (index-only scans); quick when there are none.
      await sql`VACUUM directory_name_word`.execute(handle.db);
      log(
        `population reused: ${marker!.practitioners.toLocaleString('en')} directory professionals, ${marker!.persons.toLocaleString('en')} persons, ` +
          `seeded ${marker!.seededAt.toISOString()} in ${marker!.seconds.toFixed(0)} s (BENCH_RESEED=1 seeds again)`,
      );
    }
    if (!restart) {
      const report: PopulationReport = {
        reused,
        seedSeconds: marker!.seconds,
        seededAt: marker!.seededAt,
        directory: { practitioners: marker!.practitioners, roles: marker!.roles },
        persons: marker!.persons,
      };
      return {
        config,
        handle,
        sizes,
        report,
        async close() {
          await handle.close();
          await admin?.end();
        },
      };
    }
  } catch (err) {
    await handle.close();
    await admin?.end();
    throw err;
  }
  await handle.close();
  if (admin) {
    const name = new URL(config.databaseUrl!).pathname.slice(1);
    await dropDatabase(admin, name, { attempts: 30, delayMs: 2000 });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  } else {
    fs.rmSync(config.dataDir, { recursive: true, force: true });
  }
  return openPopulationBenchDatabase(log);
}

/**
 * The first of `count` numbers no earlier run on this database used: the benchmarks that register
 * people draw their generated identities (names, birth dates, contacts) from them, so a re-run
 * does not register the same persons twice.
 */
export async function benchIdentityBlock(db: Database, count: number): Promise<number> {
  await sql`create sequence if not exists bench_identity_seq`.execute(db);
  const r = await sql<{ first: string }>`select setval('bench_identity_seq', nextval('bench_identity_seq') + ${count}) - ${count} as first`.execute(db);
  return Number(r.rows[0]!.first);
}
