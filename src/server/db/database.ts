import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { CamelCasePlugin, Kysely, type LogEvent, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.ts';
import { lockDataDir } from './lock.ts';
import { PreparingClient } from './prepared.ts';
import { readPgliteBase } from './pglite-base.ts';
import fs from 'node:fs';

// Dates (type 1082) stay 'YYYY-MM-DD' strings: a birth date or an opening date has no time zone.
pg.types.setTypeParser(1082, (v) => v);
// bigint counts come back as numbers (our counts stay far below 2^53).
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export type Database = Kysely<DB>;

/** The PostgreSQL extensions the migrations create, loaded into every embedded database. */
export const pgliteExtensions = { pg_trgm, fuzzystrmatch };

export interface DatabaseHandle {
  db: Database;
  /** The embedded PGlite instance, when running without DATABASE_URL (pg-boss needs it). */
  pglite: PGlite | undefined;
  backend: 'pglite' | 'postgres';
  /** Clients of the pool right now (metrics). */
  poolStats(): { total: number; idle: number; waiting: number; max: number };
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | undefined;
  dataDir: string;
  poolSize?: number;
  /** Called when an idle PostgreSQL connection fails (e.g. the server terminated it). */
  onIdleClientError?: (err: Error) => void;
  /** Every statement and every failed one, with its duration (metrics: src/server/http/metrics.ts). */
  onQuery?: (event: LogEvent) => void;
}

const statsOf = (pool: pg.Pool, max: number) => () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max });

/**
 * One Kysely dialect for both backends: PGlite ships a node-postgres adapter, so the same
 * `PostgresDialect`, queries and migrations run on the embedded database and on PostgreSQL.
 */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) {
    const max = options.poolSize ?? 10;
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max, Client: PreparingClient });
    // An idle connection closed by the server (restart, failover, admin command) must not crash
    // the process: the pool drops that client and opens a new one on the next query.
    pool.on('error', (err) => options.onIdleClientError?.(err));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()], log: options.onQuery });
    return { db, pglite: undefined, backend: 'postgres', poolStats: statsOf(pool, max), close: () => db.destroy() };
  }
  const release = lockDataDir(options.dataDir);
  try {
    const dir = path.join(options.dataDir, 'pglite');
    const fresh = !fs.existsSync(path.join(dir, 'PG_VERSION'));
    const pglite = await PGlite.create(dir, {
      extensions: pgliteExtensions,
      loadDataDir: fresh ? readPgliteBase() : undefined,
    });
    const pgConfig = createPgConfig(pglite);
    const pool = new pg.Pool(pgConfig);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()], log: options.onQuery });
    return {
      db,
      pglite,
      backend: 'pglite',
      poolStats: statsOf(pool, pgConfig.poolSize),
      async close() {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}

/** A PostgreSQL unique violation (SQLSTATE 23505), from pg or PGlite; `constraint` names the index when the driver gives it. */
export const isUniqueViolation = (err: unknown): err is { code: '23505'; constraint?: string; detail?: string; message?: string } =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === '23505';
