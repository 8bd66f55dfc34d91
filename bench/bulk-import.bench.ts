import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemClock } from '../src/server/context.ts';
import { allDeclarations, createBulkImportService } from '../src/server/modules/bulk-import/service.ts';
import { toCsv, validRow } from '../src/server/modules/bulk-import/testing.ts';
import { openScratchBenchDatabase } from './support.ts';

/**
 * Issue 10, acceptance 3: a bulk import of valid rows (100,000 on PostgreSQL, 5,000 on PGlite;
 * BENCH_IMPORT_ROWS overrides), as rows/s for the whole commit (reading and checking every row
 * with the register's rules and duplicate search, then registering each row: number, person,
 * situation, history, audit, event, idempotency key), next to a plain COPY of the same file into
 * a table of text columns, in the same run on the same database.
 */

/** COPY … FROM STDIN with the pg driver's own protocol hooks (no extra dependency). */
function copyFrom(client: pg.Client, text: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let failed: unknown;
    const submittable = {
      submit: (connection: { query(text: string): void }) => connection.query(text),
      handleCopyInResponse: (connection: { sendCopyFromChunk(b: Buffer): void; endCopyFrom(): void }) => {
        for (let i = 0; i < data.length; i += 64 * 1024) connection.sendCopyFromChunk(data.subarray(i, i + 64 * 1024));
        connection.endCopyFrom();
      },
      handleCommandComplete: () => {},
      handleError: (err: unknown) => {
        failed = err;
      },
      handleReadyForQuery: () => (failed ? reject(failed) : resolve()),
    };
    void client.query(submittable as unknown as pg.QueryConfig);
  });
}

export async function run() {
  const bench = await openScratchBenchDatabase();
  const { db, backend } = bench.handle;
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? (backend === 'postgres' ? 100_000 : 5_000));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-bench-import-'));
  try {
    // Distinct people: birth dates over 49 years, unique names and contacts.
    const data = toCsv(
      Array.from({ length: rows }, (_, i) =>
        validRow(i, i % 2 ? '690800206' : '690800388', { birthDate: new Date(Date.UTC(1950, 0, 1) + (i % 18_000) * 86_400_000).toISOString().slice(0, 10) }),
      ),
    );
    const file = path.join(dir, 'equipe.csv');
    fs.writeFileSync(file, data);
    process.stdout.write(`${backend}: ${rows} rows, ${(data.length / 1024 / 1024).toFixed(1)} MB\n`);

    const columns = Array.from({ length: 18 }, (_, i) => `c${i} text`).join(', ');
    const copySql = `COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')`;
    let copySeconds: number;
    if (bench.config.databaseUrl) {
      const client = new pg.Client({ connectionString: bench.config.databaseUrl });
      await client.connect();
      await client.query(`CREATE TABLE bench_copy (${columns})`);
      const t = performance.now();
      await copyFrom(client, copySql, data);
      copySeconds = (performance.now() - t) / 1000;
      await client.query('DROP TABLE bench_copy');
      await client.end();
    } else {
      const lite = bench.handle.pglite!;
      await lite.exec(`CREATE TABLE bench_copy (${columns})`);
      const t = performance.now();
      await lite.query(copySql.replace('STDIN', `'/dev/blob'`), [], { blob: new Blob([new Uint8Array(data)]) });
      copySeconds = (performance.now() - t) / 1000;
      await lite.exec('DROP TABLE bench_copy');
    }

    const config = { ...bench.config, bulkImport: { ...bench.config.bulkImport, maxRows: rows, maxBytes: data.length + 1024 } };
    const service = createBulkImportService({ db, clock: systemClock, config });
    const t0 = performance.now();
    const started = await service.commit({ id: 'bench:bulk-import', kind: 'operator' }, 'all', '690800123', file, { fileName: 'equipe.csv', declarations: allDeclarations });
    const checked = performance.now();
    while ((await service.processBatch(started.id)).pending > 0);
    const t1 = performance.now();
    const done = await service.progress(started.id);
    const total = (t1 - t0) / 1000;
    const perSecond = done.imported / total;
    const copyPerSecond = rows / copySeconds;
    process.stdout.write(`plain COPY of the file            ${copyPerSecond.toFixed(0).padStart(9)} rows/s\n`);
    process.stdout.write(`bulk import (check + register)    ${perSecond.toFixed(1).padStart(9)} rows/s  ratio ${(perSecond / copyPerSecond).toFixed(4)}\n`);
    process.stdout.write(
      `  check ${((checked - t0) / 1000).toFixed(1)} s, register ${((t1 - checked) / 1000).toFixed(1)} s; ${done.imported} imported, ${done.invalid} invalid, ${done.failed} failed\n`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
}
