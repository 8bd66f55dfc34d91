/**
 * Restore drill for PostgreSQL (docs/operations.md#backups), run against the database of
 * DATABASE_URL (or DATABASE_URL_FILE):
 *   1. counts the rows of every table inside a REPEATABLE READ snapshot and exports it;
 *   2. pg_dump -Fc of exactly that snapshot (--snapshot) into a file;
 *   3. pg_restore into a scratch database (rpps_drill_<pid>, needs CREATEDB), dropped at the end
 *      unless --keep;
 *   4. checks: every table has the same row count; the RPPS sequence is at or past every number
 *      in the ledger (rpps_number) and the next number it gives is new.
 * Usage: node scripts/pg-restore-drill.ts [--dump FILE] [--keep]
 * Exit 0 and "drill passed" when every check holds; 1 otherwise (one line per failed check).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../src/server/config.ts';

const args = process.argv.slice(2);
const keep = args.includes('--keep');
const dumpArg = args.indexOf('--dump');
const dumpFile = dumpArg >= 0 ? path.resolve(args[dumpArg + 1]!) : path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-drill-')), 'rpps.dump');

const sourceUrl = loadConfig().databaseUrl;
if (!sourceUrl) {
  process.stderr.write('pg-restore-drill: set DATABASE_URL (or DATABASE_URL_FILE) to the database to drill\n');
  process.exit(1);
}
const scratchName = `rpps_drill_${process.pid}`;
const scratchUrl = (() => {
  const u = new URL(sourceUrl);
  u.pathname = `/${scratchName}`;
  return u.toString();
})();
const say = (line: string) => process.stdout.write(`pg-restore-drill: ${line}\n`);

type Counts = Record<string, number>;

async function countRows(client: pg.Client): Promise<Counts> {
  const { rows: tables } = await client.query<{ name: string }>(
    `select quote_ident(schemaname) || '.' || quote_ident(tablename) as name
       from pg_tables where schemaname in ('public', 'pgboss') order by 1`,
  );
  const counts: Counts = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string }>(`select count(*) as n from ${name}`);
    counts[name] = Number(rows[0]!.n);
  }
  return counts;
}

const ledgerMax = async (client: pg.Client) =>
  Number((await client.query<{ m: string | null }>(`select max(left(rpps, 10)::bigint) as m from rpps_number`)).rows[0]!.m ?? 0);

async function main(): Promise<number> {
  const source = new pg.Client({ connectionString: sourceUrl });
  await source.connect();
  let expected: Counts;
  let issuedMax: number;
  try {
    await source.query('begin isolation level repeatable read read only');
    const snapshot = (await source.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    expected = await countRows(source);
    issuedMax = await ledgerMax(source);
    execFileSync('pg_dump', ['--format=custom', `--snapshot=${snapshot}`, '--no-owner', '--file', dumpFile, sourceUrl!], { stdio: 'inherit' });
    await source.query('commit');
    say(`dumped ${Object.keys(expected).length} tables (${fs.statSync(dumpFile).size} bytes) to ${dumpFile}`);
    await source.query(`create database ${scratchName}`);
  } finally {
    await source.end();
  }

  const failures: string[] = [];
  try {
    execFileSync('pg_restore', ['--no-owner', '--exit-on-error', '--dbname', scratchUrl, dumpFile], { stdio: 'inherit' });
    const scratch = new pg.Client({ connectionString: scratchUrl });
    await scratch.connect();
    try {
      const restored = await countRows(scratch);
      for (const [table, n] of Object.entries(expected)) {
        if (restored[table] !== n) failures.push(`${table}: ${n} rows in the snapshot, ${restored[table] ?? 'no table'} restored`);
      }
      const restoredMax = await ledgerMax(scratch);
      const seq = (await scratch.query<{ last_value: string; is_called: boolean }>('select last_value, is_called from rpps_payload_seq')).rows[0]!;
      if (restoredMax !== issuedMax) failures.push(`RPPS ledger: highest number ${issuedMax} in the snapshot, ${restoredMax} restored`);
      if (Number(seq.last_value) < restoredMax) failures.push(`RPPS sequence at ${seq.last_value}, below the highest number issued ${restoredMax}: it would re-issue numbers`);
      // The next allocation in the restored copy must be a number never issued.
      const next = Number((await scratch.query<{ v: string }>(`select nextval('rpps_payload_seq') as v`)).rows[0]!.v);
      const taken = await scratch.query(`select 1 from rpps_number where left(rpps, 10)::bigint >= $1 limit 1`, [next]);
      if (next <= issuedMax || taken.rowCount) failures.push(`RPPS sequence gives ${next}, already issued (highest ${issuedMax})`);
      say(`${Object.keys(restored).length} tables restored, ${Object.values(restored).reduce((a, b) => a + b, 0)} rows; RPPS: highest issued ${issuedMax || 'none'}, next ${next}`);
    } finally {
      await scratch.end();
    }
  } catch (err) {
    failures.push(`restore failed: ${(err as Error).message}`);
  } finally {
    if (!keep) {
      const admin = new pg.Client({ connectionString: sourceUrl });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${scratchName} with (force)`);
      } catch (err) {
        // WITH (FORCE) may not end an autovacuum worker busy on the freshly restored copy (a
        // superuser's backend: 42501 for a non-superuser); a plain DROP DATABASE cancels it itself.
        if ((err as { code?: string }).code !== '42501') throw err;
        await admin.query(`drop database if exists ${scratchName}`);
      } finally {
        await admin.end();
      }
      if (dumpArg < 0) fs.rmSync(path.dirname(dumpFile), { recursive: true, force: true });
    } else {
      say(`scratch database kept: ${scratchName}`);
    }
  }
  for (const f of failures) process.stderr.write(`pg-restore-drill: FAILED ${f}\n`);
  if (failures.length === 0) say('drill passed');
  return failures.length === 0 ? 0 : 1;
}

process.exitCode = await main();
