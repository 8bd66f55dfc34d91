import { CompiledQuery } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../tests/support/db.ts';
import { preparedStatement } from './prepared.ts';

describe('prepared statements (marked texts)', () => {
  let database: TestDatabase | undefined;
  afterAll(async () => database?.close());

  it('answer like the plain text, and on PostgreSQL are prepared once per connection', async () => {
    database = await createTestDatabase();
    const text = preparedStatement('select $1::int + 1 as next_value');
    const run = async (n: number) => (await database!.db.executeQuery(CompiledQuery.raw(text, [n]))).rows[0] as { nextValue: number };
    expect(await run(1)).toEqual({ nextValue: 2 });
    expect(await run(41)).toEqual({ nextValue: 42 });
    if (!inject('templateDatabase')) return;
    const name = /\/\* prepared (\S+) \*\//.exec(text)![1]!;
    // Any connection of the pool that ran it holds it: run it and look on the same connection.
    const found = await database.db.connection().execute(async (conn) => {
      await conn.executeQuery(CompiledQuery.raw(text, [1]));
      return (await conn.executeQuery(CompiledQuery.raw('select name from pg_prepared_statements where name = $1', [name]))).rows;
    });
    expect(found).toEqual([{ name }]);
  });
});
