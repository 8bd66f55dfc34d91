import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allocateRpps } from '../../src/server/modules/register/rpps.ts';
import { repoRoot } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';

const run = promisify(execFile);
const postgres = Boolean(process.env.DATABASE_URL);
let t: TestDatabase;

beforeAll(async () => {
  if (!postgres) return;
  t = await createTestDatabase();
  await t.db.transaction().execute(async (trx) => {
    for (let i = 0; i < 3; i++) await allocateRpps(trx, { start: 1090000000, end: 1099999999 }, new Date('2026-11-23T10:00:00Z'));
  });
}, 60_000);
afterAll(() => t?.close());

const drill = async () => {
  try {
    const { stdout, stderr } = await run(process.execPath, ['scripts/pg-restore-drill.ts'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: t.config.databaseUrl } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return e;
  }
};

describe.skipIf(!postgres)('PostgreSQL restore drill (scripts/pg-restore-drill.ts)', () => {
  it('restores a snapshot into a scratch database with the same rows and an RPPS sequence that issues new numbers', async () => {
    const res = await drill();
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain('drill passed');
    expect(res.stdout).toMatch(/RPPS: highest issued 1090000002, next 1090000003/);
  }, 120_000);

  it('fails when the restored sequence would re-issue a number', async () => {
    await sql`select setval('rpps_payload_seq', 1090000000)`.execute(t.db);
    const res = await drill();
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('it would re-issue numbers');
  }, 120_000);
});
