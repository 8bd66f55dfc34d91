import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { readWithoutJit } from './planner.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const jit = async (db: TestDatabase['db']) => (await sql<{ jit: string }>`SELECT current_setting('jit') AS jit`.execute(db)).rows[0]!.jit;

it('turns JIT off for the transaction only (issue 18: its compilation cost more than the duplicate query)', async () => {
  const before = await jit(t.db);
  expect(await readWithoutJit(t.db, (trx) => jit(trx))).toBe('off');
  expect(await jit(t.db)).toBe(before);
});
