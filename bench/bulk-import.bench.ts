import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { systemClock } from '../src/server/context.ts';
import { createJobRuntime, silentLogger } from '../src/server/jobs/index.ts';
import { createMailer } from '../src/server/mail/mailer.ts';
import { bulkMail, createMailService, mailSendJob } from '../src/server/mail/service.ts';
import { bulkImportBatchJob } from '../src/server/modules/bulk-import/jobs.ts';
import { allDeclarations, createBulkImportService } from '../src/server/modules/bulk-import/service.ts';
import { createDirectoryPublication } from '../src/server/modules/directory/publication.ts';
import { verifyIdentityJob } from '../src/server/modules/register/jobs.ts';
import { createRegisterService } from '../src/server/modules/register/service.ts';
import { toInput } from '../src/server/modules/bulk-import/columns.ts';
import { toCsv, validRow } from '../src/server/modules/bulk-import/testing.ts';
import { openScratchBenchDatabase } from './support.ts';

/**
 * Issue 18 (and issue 10, acceptance 3): a bulk import of valid rows (100,000 on PostgreSQL, 5,000
 * on PGlite; BENCH_IMPORT_ROWS overrides), dry run then commit, as rows/s for the whole (reading
 * and checking every row twice with the register's rules and duplicate search, then registering
 * each row: number, person, situation, history, audit, event, idempotency key, mail and identity
 * check queued), beside its goal (≥ 1,700 rows/s: 100k in 60 s) and a plain COPY of the same file
 * into a table of text columns in the same run on the same database; then the time the directory
 * publication takes to make the new professionals searchable (goal ≤ 60 s).
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

    // The configured batch (BULK_IMPORT_BATCH_SIZE, default 2,000: two lanes of 1,000), or BENCH_IMPORT_BATCH_SIZE.
    const batchSize = Number(process.env.BENCH_IMPORT_BATCH_SIZE ?? bench.config.bulkImport.batchSize);
    const config = { ...bench.config, bulkImport: { ...bench.config.bulkImport, maxRows: rows, maxBytes: data.length + 1024, batchSize } };
    // The outbox as in production: jobs enqueued through pg-boss in the registering transactions
    // (no worker here: the mails and identity checks stay queued, counted below).
    const jobs = createJobRuntime({
      database: bench.handle,
      databaseUrl: bench.config.databaseUrl,
      worker: false,
      // The batches are run by this process (processBatch below): the batch job is only declared.
      jobs: [mailSendJob({ db, mailer: createMailer(config), clock: systemClock }), verifyIdentityJob({ db, clock: systemClock }), bulkImportBatchJob({ db, clock: systemClock, config, jobs: { enqueue: async () => null } })],
    });
    await jobs.start({ log: silentLogger });
    const mail = createMailService({ jobs, clock: systemClock });
    // Step timings inside the registering transactions, summed over the sets (the two lanes overlap).
    const steps = new Map<string, number>();
    const service = createBulkImportService({ db, clock: systemClock, config, jobs, mail, steps: (step, ms) => steps.set(step, (steps.get(step) ?? 0) + ms) });
    const actor = { id: 'bench:bulk-import', kind: 'operator' };
    const t0 = performance.now();
    const dry = await service.dryRun('all', '690800123', file, { fileName: 'equipe.csv' });
    const t1 = performance.now();
    const started = await service.commit(actor, 'all', '690800123', file, { fileName: 'equipe.csv', declarations: allDeclarations });
    const t2 = performance.now();
    while ((await service.processBatch(started.id)).pending > 0);
    const t3 = performance.now();
    const done = await service.progress(started.id);
    // The directory publication (the job's own function), from the commit's end until every new
    // professional is in the public read model.
    const published = await createDirectoryPublication({ db, clock: systemClock }).publishPending();
    const t4 = performance.now();
    const inDirectory = Number(
      (await db.selectFrom('directoryPractitioner').select((eb) => eb.fn.countAll<string>().as('n')).where('nameSearch', 'like', 'import%').executeTakeFirstOrThrow()).n,
    );
    const mails = Number((await db.selectFrom('mailMessage').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    // Same-run baseline of the write: the form's path, row by row (what each batch did before issue 18).
    const single = Number(process.env.BENCH_IMPORT_SINGLE_ROWS ?? 300);
    const register = createRegisterService({ db, clock: systemClock, config, jobs, mail: bulkMail(mail) });
    const t5 = performance.now();
    for (let i = 0; i < single; i++) {
      const input = toInput(validRow(rows + i, '690800206', { birthDate: new Date(Date.UTC(1950, 0, 1) + ((rows + i) % 18_000) * 86_400_000).toISOString().slice(0, 10) }));
      await register.registerProfessional(actor, 'all', { ...input, idempotencyKey: `bench-single:${i}` });
    }
    const singlePerSecond = single / ((performance.now() - t5) / 1000);
    await jobs.stop();

    const total = (t3 - t0) / 1000;
    const perSecond = done.imported / total;
    const copyPerSecond = rows / copySeconds;
    const line = (name: string, value: string, goal: string, baseline: string) => process.stdout.write(`${name.padEnd(44)} ${value.padStart(14)}  goal ${goal.padEnd(12)} ${baseline}\n`);
    line('plain COPY of the file (baseline)', `${copyPerSecond.toFixed(0)} rows/s`, '', '');
    line(`bulk import, dry run + commit, ${rows} rows`, `${perSecond.toFixed(0)} rows/s`, '≥ 1,700/s', `${total.toFixed(1)} s (goal ≤ 60 s), ratio to COPY ${(perSecond / copyPerSecond).toFixed(4)}`);
    process.stdout.write(
      `  dry run ${((t1 - t0) / 1000).toFixed(1)} s (${dry.valid} valid), commit check ${((t2 - t1) / 1000).toFixed(1)} s, register ${((t3 - t2) / 1000).toFixed(1)} s (batches of ${batchSize}); ${done.imported} imported, ${done.invalid} invalid, ${done.failed} failed; ${mails} mails queued\n`,
    );
    const stepLine = [...steps].sort((a, b) => b[1] - a[1]).map(([step, ms]) => `${step} ${(ms / 1000).toFixed(1)}`).join(', ');
    process.stdout.write(`  register steps (s, summed over both lanes): ${stepLine}\n`);
    const registerPerSecond = done.imported / ((t3 - t2) / 1000);
    line('  of which registering, set-based', `${registerPerSecond.toFixed(0)} rows/s`, '', `row by row (the form's path) ${singlePerSecond.toFixed(1)} rows/s over ${single} rows, ratio ${(registerPerSecond / singlePerSecond).toFixed(1)}`);
    line('directory publication after the commit', `${((t4 - t3) / 1000).toFixed(1)} s`, '≤ 60 s', `${inDirectory} of ${done.imported} searchable, ${published.changes} changes`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    await bench.close();
  }
}
