import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase } from './drop-database.ts';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../../src/server/config.ts';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/database.ts';

export interface TestDatabase extends DatabaseHandle {
  config: Config;
}

/** A fresh copy of the migrated, seeded template database (see global-setup.ts). */
export async function createTestDatabase(overrides: Record<string, string> = {}): Promise<TestDatabase> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'test', ...overrides });
  const templateDatabase = inject('templateDatabase');
  if (base.databaseUrl && templateDatabase) {
    const name = `rpps_test_${inject('runId')}_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: base.databaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${templateDatabase}`);
    await admin.end();
    const url = new URL(base.databaseUrl);
    url.pathname = `/${name}`;
    const config = Object.freeze({ ...base, databaseUrl: url.toString() });
    // Dropping the copy WITH (FORCE) ends connections still idle in a pool: expected, not an error.
    const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, onIdleClientError: () => {} });
    return {
      ...handle,
      config,
      async close() {
        await handle.close();
        const a = new pg.Client({ connectionString: base.databaseUrl });
        await a.connect();
        await dropDatabase(a, name);
        await a.end();
      },
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-test-'));
  fs.cpSync(inject('templateDir'), dir, { recursive: true });
  const config = Object.freeze({ ...base, databaseUrl: undefined, dataDir: dir });
  const handle = await openDatabase({ databaseUrl: undefined, dataDir: dir });
  return {
    ...handle,
    config,
    async close() {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A clock fixed at a given instant. */
export const fixedClock = (iso: string) => ({ now: () => new Date(iso) });

/**
 * What a second app instance on the same database opens: its own pool on PostgreSQL (as a second
 * process would), the same in-process PGlite otherwise. Closed with the test database's cleanups.
 */
export async function secondHandle(database: TestDatabase, cleanups: Array<() => Promise<void>>): Promise<DatabaseHandle> {
  if (!database.config.databaseUrl) return database;
  const handle = await openDatabase({ databaseUrl: database.config.databaseUrl, dataDir: database.config.dataDir, onIdleClientError: () => {} });
  cleanups.push(() => handle.close());
  return handle;
}
