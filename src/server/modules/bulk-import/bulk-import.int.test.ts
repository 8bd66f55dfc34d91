import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import type { Config } from '../../config.ts';
import { DomainError } from '../../errors.ts';
import { createJobRuntime, type JobRuntime, silentLogger } from '../../jobs/index.ts';
import { verifyIdentityJob } from '../register/jobs.ts';
import { createRegisterService } from '../register/service.ts';
import { templateCsv } from './columns.ts';
import { bulkImportBatchJob } from './jobs.ts';
import { createBulkImportService, reportCsv } from './service.ts';
import { type Row, toCsv, validRow } from './testing.ts';

/** Bulk import (issue 10): dry run, commit in batches, resume after a crash, limits, scope. */
const ej = '690800123';
const eg1 = '690800206';
const eg2 = '690800388';
const otherEg = '690801600';
const clock = fixedClock('2026-11-23T10:00:00Z');
const gestionnaire = { id: 'account:bulk-test', kind: 'gestionnaire' };
let t: TestDatabase;
let dir: string;
let config: Config;
let file = 0;

const write = (content: Buffer | string) => {
  const f = path.join(dir, `f${++file}.csv`);
  fs.writeFileSync(f, content);
  return f;
};
const service = (over: Partial<Config['bulkImport']> = {}, jobs?: JobRuntime) =>
  createBulkImportService({ db: t.db, clock, config: { ...config, bulkImport: { ...config.bulkImport, ...over } }, jobs });

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a domain error');
}

const count = async (table: 'person' | 'situation' | 'bulkImport' | 'bulkImportRow' | 'registrationSubmission' | 'auditEvent') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const snapshot = async () => ({
  persons: await count('person'),
  situations: await count('situation'),
  imports: await count('bulkImport'),
  rows: await count('bulkImportRow'),
  audit: await count('auditEvent'),
});

async function until<T>(probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  config = t.config;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulk-int-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Rows seeded with errors at known positions; `base` keeps people distinct between tests. */
function seededFile(base: number, size: number) {
  const rows: Row[] = [];
  const bad = new Map<number, string>(); // file row number (header = 1) → expected column
  for (let i = 0; i < size; i++) rows.push(validRow(base + i, i % 2 ? eg1 : eg2));
  const at = (i: number, over: Row, column: string) => {
    rows[i] = { ...rows[i], ...over };
    bad.set(i + 2, column);
  };
  at(3, { birthDate: '1985-02-30' }, 'Date de naissance');
  at(5, { email: 'pas-une-adresse' }, 'Adresse électronique');
  at(7, { startDate: '2031-01-01' }, 'Date de prise de fonction');
  // Row 10 repeats the identity of row 2 (index 0) with its own contact data: a duplicate in the file.
  at(8, { ...validRow(base, eg1), email: `autre${base}@exemple.fr`, mobile: `0699${String(base).padStart(6, '0')}` }, '');
  at(9, { mobile: rows[1]!.mobile }, 'Téléphone mobile');
  return { rows, bad };
}

describe('dry run', () => {
  it('checks the template: French headers and one valid example row', async () => {
    const report = await service().dryRun('all', ej, write(templateCsv()));
    expect(report).toMatchObject({ encoding: 'utf8', delimiter: ';', rows: 1, valid: 1, invalid: 0 });
  });

  it('reports exactly the seeded rows with their columns, and writes nothing', async () => {
    // A person already in the register: the same identity in the file is refused.
    const register = createRegisterService({ db: t.db, clock, config });
    const existing = validRow(990_000);
    await register.registerProfessional(gestionnaire, 'all', {
      etatCivil: { civilite: existing.civilite, sexe: existing.sexe, birthName: existing.birthName, firstNames: existing.firstNames!.split(', '), birthDate: existing.birthDate, birthCountryCode: '99100', birthCommuneCode: '69123' },
      contact: { email: 'deja@exemple.fr', mobile: '0655555555' },
      situation: { egFiness: eg1, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-01' },
    });
    const { rows, bad } = seededFile(1000, 40);
    rows.push({ ...existing, email: 'nouveau@exemple.fr', mobile: '0655555556' });
    bad.set(rows.length + 1, '');

    const before = await snapshot();
    const report = await service().dryRun([eg1, eg2], ej, write(toCsv(rows)));
    expect(await snapshot()).toEqual(before);

    const invalid = report.report.filter((r) => r.status === 'invalid');
    expect(invalid.map((r) => r.rowNumber)).toEqual([...bad.keys()].sort((a, b) => a - b));
    for (const r of invalid) expect(r.errors.map((e) => e.column)).toContain(bad.get(r.rowNumber));
    expect(report).toMatchObject({ rows: 41, valid: 41 - bad.size, invalid: bad.size });
    expect(invalid.find((r) => r.rowNumber === 10)!.errors[0]!.detail).toContain('ligne 2');
    expect(invalid.at(-1)!.errors[0]!.detail).toContain('déjà enregistrée');

    const csv = reportCsv(report.report);
    expect(csv.split('\r\n')[0]).toBe('\uFEFFLigne;Statut;Colonne;Message;Numéro RPPS');
    expect(csv).toContain('5;erreur;Date de naissance;');
  });

  it('reads Windows-1252 with commas, and French dates', async () => {
    const rows = [validRow(2000, eg1, { birthName: 'Bénard-Lœuvre', firstNames: 'Élodie, Anaïs', birthDate: '14/03/1988' })];
    const report = await service().dryRun('all', ej, write(toCsv(rows, { delimiter: ',', encoding: 'win1252' })));
    expect(report).toMatchObject({ encoding: 'win1252', delimiter: ',', valid: 1 });
  });

  it('refuses a file without the mandatory columns, naming them', async () => {
    const err = await failure(service().dryRun('all', ej, write('Nom;Prénom\nDupont;Marie\n')));
    expect(err.code).toBe('bulk-import-unreadable');
    expect(err.detail).toContain('Date de naissance');
  });

  it('refuses an oversized file before parsing it (413), and a file over the row limit', async () => {
    const big = write(toCsv(Array.from({ length: 50 }, (_, i) => validRow(3000 + i))));
    expect((await failure(service({ maxBytes: 2048 }).dryRun('all', ej, big))).status).toBe(413);
    const err = await failure(service({ maxRows: 10 }).dryRun('all', ej, big));
    expect([err.status, err.code]).toEqual([413, 'bulk-import-too-many-rows']);
  });
});

describe('scope', () => {
  it('reports a row outside the scope; a commit refuses the whole file with the rows named, writing nothing', async () => {
    const rows = [validRow(4000, eg1), validRow(4001, eg2), validRow(4002, otherEg)];
    const f = write(toCsv(rows));
    const report = await service().dryRun([eg1], ej, f);
    expect(report.report.map((r) => r.status)).toEqual(['valid', 'invalid', 'invalid']);
    const before = await snapshot();
    const err = await failure(service().commit(gestionnaire, [eg1], ej, f, { fileName: 'x.csv', declarations: true }));
    expect([err.status, err.code]).toEqual([403, 'eg-out-of-scope']);
    expect(err.errors.map((e) => e.pointer)).toEqual(['/rows/3/egFiness', '/rows/4/egFiness']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an EJ where the actor manages no EG', async () => {
    const err = await failure(service().dryRun([eg1], '690801576', write(templateCsv())));
    expect(err.code).toBe('bulk-import-forbidden');
  });

  it('needs the declarations ticked for the batch', async () => {
    const err = await failure(service().commit(gestionnaire, 'all', ej, write(templateCsv()), { fileName: 'x.csv', declarations: false }));
    expect(err.code).toBe('bulk-import-declarations-required');
  });
});

describe('commit', () => {
  it('imports the valid rows, skips the invalid ones; counts match', async () => {
    const { rows, bad } = seededFile(5000, 30);
    const s = service({ batchSize: 7 });
    const persons = await count('person');
    const started = await s.commit(gestionnaire, [eg1, eg2], ej, write(toCsv(rows)), { fileName: 'equipe.csv', declarations: true });
    expect(started).toMatchObject({ status: 'committing', rows: 30, invalid: bad.size, pending: 30 - bad.size, imported: 0 });
    let batches = 0;
    while ((await s.processBatch(started.id)).pending > 0) batches++;
    expect(batches).toBe(Math.ceil((30 - bad.size) / 7) - 1);
    const done = await s.progress(started.id);
    expect(done).toMatchObject({ status: 'done', imported: 30 - bad.size, failed: 0, pending: 0, etaSeconds: null });
    expect((await count('person')) - persons).toBe(30 - bad.size);
    // Personal data do not stay in the import table once a row is done.
    const left = await t.db.selectFrom('bulkImportRow').select('rowNumber').where('importId', '=', started.id).where('input', 'is not', null).execute();
    expect(left).toEqual([]);
    const rowsOut = await s.rowsOf(started.id);
    expect(rowsOut.filter((r) => r.status === 'imported').every((r) => /^\d{11}$/.test(r.rpps ?? ''))).toBe(true);
  });

  it('resumes after a crash mid-batch and with two workers at once: every row registered exactly once', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => validRow(6000 + i, eg1));
    const s = service({ batchSize: 10 });
    const persons = await count('person');
    const started = await s.commit(gestionnaire, 'all', ej, write(toCsv(rows)), { fileName: 'crash.csv', declarations: true });
    // The process dies after the 4th row of the first batch (the rows done so far are committed).
    let seen = 0;
    const crash = new Error('killed');
    await expect(s.processBatch(started.id, { onRow: () => { if (++seen === 4) throw crash; } })).rejects.toBe(crash);
    expect((await s.progress(started.id)).imported).toBe(4);
    // Restart: a retried job and the start-up resume may run the same batch side by side.
    const restarted = [service({ batchSize: 10 }), service({ batchSize: 10 })];
    while ((await Promise.all(restarted.map((r) => r.processBatch(started.id)))).some((r) => r.pending > 0));
    expect(await s.progress(started.id)).toMatchObject({ status: 'done', imported: 25, failed: 0 });
    expect((await count('person')) - persons).toBe(25);
    const keys = await t.db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${started.id}:%`).execute();
    expect(keys).toHaveLength(25);
    expect(new Set(keys.map((k) => k.rpps)).size).toBe(25);
  });

  it('runs in background jobs; stopping the runtime after some batches and restarting finishes the import', async () => {
    const batchConfig = { ...config, bulkImport: { ...config.bulkImport, batchSize: 4 } };
    const makeRuntime = () => {
      const runtime: JobRuntime = createJobRuntime({
        database: t,
        databaseUrl: t.config.databaseUrl,
        worker: true,
        pollingIntervalSeconds: 0.5,
        // The register queues the identity check of every new person in the registering transaction.
        jobs: [bulkImportBatchJob({ db: t.db, clock, config: batchConfig, jobs: { enqueue: (...a) => runtime.enqueue(...a) } }), verifyIdentityJob({ db: t.db, clock })],
      });
      return runtime;
    };
    const rows = Array.from({ length: 30 }, (_, i) => validRow(7000 + i, eg2));
    const persons = await count('person');
    const first = makeRuntime();
    await first.start({ log: silentLogger });
    const s1 = createBulkImportService({ db: t.db, clock, config: batchConfig, jobs: first });
    const started = await s1.commit(gestionnaire, 'all', ej, write(toCsv(rows)), { fileName: 'jobs.csv', declarations: true });
    await until(async () => ((await s1.progress(started.id)).imported >= 8 ? true : undefined));
    await first.stop();
    const midway = await s1.progress(started.id);
    expect(midway.imported).toBeLessThan(30);

    const second = makeRuntime();
    await second.start({ log: silentLogger });
    try {
      const s2 = createBulkImportService({ db: t.db, clock, config: batchConfig, jobs: second });
      expect(await s2.resumeUnfinished()).toContain(started.id);
      const done = await until(async () => {
        const p = await s2.progress(started.id);
        return p.status === 'done' ? p : undefined;
      }, 60_000);
      expect(done).toMatchObject({ imported: 30, failed: 0 });
      expect((await count('person')) - persons).toBe(30);
    } finally {
      await second.stop();
    }
  }, 90_000);
});
