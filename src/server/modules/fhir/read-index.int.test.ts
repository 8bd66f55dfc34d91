import { sql, type SqlBool } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { practitionerColumns } from './queries.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const snake = (c: string) => c.replace(/[A-Z]/g, (l) => `_${l.toLowerCase()}`);

describe('the read of professionals by id', () => {
  it('finds every column it returns in the primary key (migration 20261205T1000)', async () => {
    const { rows } = await sql<{ attname: string }>`
      select a.attname from pg_index i
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
      where i.indrelid = 'directory_practitioner'::regclass and i.indisprimary
    `.execute(t.database.db);
    expect(rows.map((r) => r.attname).sort()).toEqual(practitionerColumns.map(snake).sort());
  });

  it('reads the index alone (an index-only scan, not the table)', async () => {
    const plan = await t.database.db.transaction().execute(async (trx) => {
      // The test tables are small: without this the planner would rather read them whole.
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      const query = trx
        .selectFrom('directoryPractitioner')
        .select(practitionerColumns)
        .where(sql<SqlBool>`id = any(${['10100000001', '10100000002']}::text[])`)
        .orderBy('id')
        .compile();
      const { rows } = await sql<{ 'QUERY PLAN': unknown }>`explain (format json) ${sql.raw(query.sql.replace('$1', `'{10100000001,10100000002}'`))}`.execute(trx);
      return JSON.stringify(rows[0]!['QUERY PLAN']);
    });
    expect(plan).toContain('"Node Type":"Index Only Scan"');
    expect(plan).toContain('"Index Name":"directory_practitioner_pkey"');
  });
});
