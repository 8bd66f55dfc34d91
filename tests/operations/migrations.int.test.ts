import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.ts';
import type { DatabaseHandle } from '../../src/server/db/database.ts';
import { migrations } from '../../src/server/db/migrations/index.ts';
import { openRuntimeDatabase } from '../../src/server/runtime.ts';
import { dropDatabase } from '../support/drop-database.ts';

/** Several processes start on one PostgreSQL at once (cluster, rolling restart): docs/operations.md#migrations. */
const base = loadConfig({ ...process.env, NODE_ENV: 'test' });
const postgres = Boolean(base.databaseUrl);
const name = `rpps_mig_${randomBytes(4).toString('hex')}`;
const url = (() => {
  if (!base.databaseUrl) return '';
  const u = new URL(base.databaseUrl);
  u.pathname = `/${name}`;
  return u.toString();
})();
const admin = async <T>(run: (c: pg.Client) => Promise<T>) => {
  const c = new pg.Client({ connectionString: base.databaseUrl });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
};

afterAll(async () => {
  if (postgres) await admin((c) => dropDatabase(c, name));
});

describe.skipIf(!postgres)('migrations with several processes', () => {
  it('one process migrates under the advisory lock while the others wait, then all serve', async () => {
    await admin((c) => c.query(`create database ${name}`));
    const config = Object.freeze({ ...base, databaseUrl: url });
    let waits = 0;
    const handles: DatabaseHandle[] = await Promise.all(
      [1, 2, 3].map(() => openRuntimeDatabase(config, { onWait: () => waits++ })),
    );
    try {
      expect(waits).toBeGreaterThanOrEqual(1);
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(handles[0]!.db);
      expect(rows[0]!.n).toBe(Object.keys(migrations).length);
      for (const h of handles) expect((await sql<{ one: number }>`select 1 as one`.execute(h.db)).rows[0]!.one).toBe(1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
  }, 180_000);

  it('a process of the previous release finds a newer schema: it serves without migrating', async () => {
    const config = Object.freeze({ ...base, databaseUrl: url });
    const first = await openRuntimeDatabase(config);
    await sql`insert into kysely_migration (name, timestamp) values ('29991231T0000_next_release', now()::text)`.execute(first.db);
    await first.close();
    let newer: string[] = [];
    const second = await openRuntimeDatabase(config, { onNewerSchema: (names) => (newer = names) });
    await second.close();
    expect(newer).toEqual(['29991231T0000_next_release']);
  }, 120_000);
});
