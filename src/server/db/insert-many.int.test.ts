import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/db.ts';
import { insertMany } from './insert-many.ts';

/** insertMany (issue 18): the rows a multi-row VALUES would write, with one array parameter per column. */
let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  await sql`CREATE TABLE insert_many_probe (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(), way text NOT NULL, name text, names text[] NOT NULL, born date, at timestamptz NOT NULL,
    data jsonb, n integer, flag boolean, code varchar(9), status text NOT NULL DEFAULT 'active')`.execute(t.db);
});
afterAll(async () => {
  await t?.close();
});

const rows = (way: string) => [
  { way, name: 'Zoé L’Hôte', names: ['Zoé', 'Anne Marie', 'a "quoted" one', 'back\\slash', 'comma, {brace}', 'NULL'], born: '1984-02-29', at: new Date('2026-11-23T10:00:00.123Z'), data: JSON.stringify({ a: [1, 'b'], c: null }), n: 42, flag: true, code: '690800206' },
  { way, name: null, names: [], born: null, at: new Date('2026-01-01T00:00:00Z'), data: null, n: null, flag: false, code: null },
];

describe('insertMany', () => {
  it('writes what Kysely’s multi-row insert writes: arrays, dates, JSON, nulls, quotes; defaults for the columns left out', async () => {
    const table = 'insertManyProbe' as never;
    await t.db.insertInto(table).values(rows('values') as never).execute();
    const returned = await insertMany<{ id: string; name: string | null; status: string }>(t.db, table, rows('unnest'), ['id', 'name', 'status']);
    expect(returned.map((r) => ({ name: r.name, status: r.status }))).toEqual([
      { name: 'Zoé L’Hôte', status: 'active' },
      { name: null, status: 'active' },
    ]);
    const read = async (way: string) =>
      (await sql<Record<string, unknown>>`SELECT name, names, born, at, data, n, flag, code, status FROM insert_many_probe WHERE way = ${way} ORDER BY n NULLS LAST`.execute(t.db)).rows;
    const unnest = await read('unnest');
    expect(unnest).toEqual(await read('values'));
    expect(unnest[0]).toMatchObject({ names: rows('x')[0]!.names, born: '1984-02-29', data: { a: [1, 'b'], c: null } });
  });

  it('refuses rows that do not all have the same columns, and an unknown column', async () => {
    const table = 'insertManyProbe' as never;
    await expect(insertMany(t.db, table, [rows('x')[0]!, { way: 'x', names: [], at: new Date() }])).rejects.toThrow('do not all have the same columns');
    await expect(insertMany(t.db, table, [{ way: 'x', names: [], at: new Date(), nope: 1 }])).rejects.toThrow('no column nope');
  });
});
