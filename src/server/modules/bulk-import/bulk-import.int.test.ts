import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import type { Config } from '../../config.ts';
import { DomainError } from '../../errors.ts';
import { createJobRuntime, type JobRuntime, silentLogger } from '../../jobs/index.ts';
import { verifyIdentityJob } from '../register/jobs.ts';
import { outboxMailer } from '../../mail/mailer.ts';
import { getMail } from '../../mail/queries.ts';
import { createMailService, mailSendJob } from '../../mail/service.ts';
import type { PersonActor } from '../../auth/actor.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { createPreregistrationService } from '../preregistration/service.ts';
import { cogIdentityVerifier, createIdentityService } from '../register/identity.ts';
import { createRegisterService } from '../register/service.ts';
import { templateCsv } from './columns.ts';
import { templateXlsx } from './xlsx.ts';
import { bulkImportBatchJob } from './jobs.ts';
import { allDeclarations, createBulkImportService, reportCsv } from './service.ts';
import { type Row, toCsv, toXlsx, validRow } from './testing.ts';
import { until as waitUntil } from '../../../../tests/support/until.ts';

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

const write = (content: Buffer | string, ext = 'csv') => {
  const f = path.join(dir, `f${++file}.${ext}`);
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

const count = async (table: 'person' | 'situation' | 'bulkImport' | 'bulkImportRow' | 'registrationSubmission' | 'auditEvent' | 'preregistration') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const snapshot = async () => ({
  persons: await count('person'),
  situations: await count('situation'),
  imports: await count('bulkImport'),
  rows: await count('bulkImportRow'),
  audit: await count('auditEvent'),
  requests: await count('preregistration'),
});

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000) => waitUntil(probe, { timeoutMs });

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
    expect(csv.split('\r\n')[0]).toBe('\uFEFFLigne;Personne;Statut;Colonne;Message;Numéro RPPS');
    const fifth = rows[3]!;
    expect(csv).toContain(`5;${fifth.birthName} ${fifth.firstNames!.split(',')[0]};erreur;Date de naissance;Date impossible : le 1985-02-30 n’existe pas.`);
    expect(report.report.map((r) => r.person)).toEqual(rows.map((r) => `${r.birthName} ${r.firstNames!.split(',')[0]}`));
  });

  it('reports, on its row, a FINESS of the right shape that is no structure (an EG of no EJ: outside the scope)', async () => {
    const unknown = '690899992'; // Luhn-valid, in no seed
    const report = await service().dryRun('all', ej, write(toCsv([validRow(2200, unknown), validRow(2201, eg1)])));
    expect(report.report.map((r) => r.status)).toEqual(['invalid', 'valid']);
    expect(report.report[0]!.errors).toEqual([
      { column: 'FINESS de l’établissement', detail: `L’établissement ${unknown} ne fait pas partie de votre périmètre pour cette entité juridique.` },
    ]);
  });

  it('reads Windows-1252 with commas, and French dates', async () => {
    const rows = [validRow(2000, eg1, { birthName: 'Bénard-Lœuvre', firstNames: 'Élodie, Anaïs', birthDate: '14/03/1988' })];
    const report = await service().dryRun('all', ej, write(toCsv(rows, { delimiter: ',', encoding: 'win1252' })));
    expect(report).toMatchObject({ encoding: 'win1252', delimiter: ',', valid: 1 });
  });

  it('reports an impossible date as such, alone, and reads JJ/MM/AAAA dates (issue 17)', async () => {
    const rows = [
      validRow(2100, eg1, { birthDate: '31/02/1990' }),
      validRow(2101, eg1, { birthDate: '14/03/1988', startDate: '02/11/2026' }),
      validRow(2102, eg1, { birthDate: '1990-04-31', startDate: '30/02/2026', birthCountryCode: '99100', birthCommuneCode: '69123' }),
      validRow(2103, eg1, { birthDate: '3/2/1991', startDate: '2/11/2026' }),
    ];
    for (const f of [write(toCsv(rows)), write(await toXlsx(rows), 'xlsx'), write(await toXlsx(rows, { typed: true }), 'xlsx')]) {
      const report = await service().dryRun('all', ej, f, { fileName: f });
      expect(report.report.map((r) => r.status)).toEqual(['invalid', 'valid', 'invalid', 'valid']);
      // Only the date is wrong: no knock-on error on the commune, the start date or the names.
      expect(report.report[0]!.errors).toEqual([{ column: 'Date de naissance', detail: 'Date impossible : le 31/02/1990 n’existe pas.' }]);
      expect(report.report[2]!.errors).toEqual([
        { column: 'Date de naissance', detail: 'Date impossible : le 1990-04-31 n’existe pas.' },
        { column: 'Date de prise de fonction', detail: 'Date impossible : le 30/02/2026 n’existe pas.' },
      ]);
    }
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
    const err = await failure(service().commit(gestionnaire, [eg1], ej, f, { fileName: 'x.csv', declarations: allDeclarations }));
    expect([err.status, err.code]).toEqual([403, 'eg-out-of-scope']);
    expect(err.errors.map((e) => e.pointer)).toEqual(['/rows/3/egFiness', '/rows/4/egFiness']);
    expect(await snapshot()).toEqual(before);
  });

  it('refuses an EJ where the actor manages no EG', async () => {
    const err = await failure(service().dryRun([eg1], '690801576', write(templateCsv())));
    expect(err.code).toBe('bulk-import-forbidden');
  });

  it('declarations given for the batch: both are needed (the form’s rule), else 400 and nothing written', async () => {
    const f = write(toCsv([validRow(4100, eg1)]));
    const before = await snapshot();
    for (const declarations of [{ accurateAndInformed: true }, { metInPerson: true }, { accurateAndInformed: true, metInPerson: false }]) {
      const err = await failure(service().commit(gestionnaire, 'all', ej, f, { fileName: 'x.csv', declarations }));
      expect([err.status, err.code]).toEqual([400, 'validation']);
      expect(err.errors.map((e) => e.pointer)[0]).toMatch(/^\/body\/declarations\/(accurateAndInformed|metInPerson)$/);
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('commit', () => {
  it('imports the valid rows, skips the invalid ones; counts match', async () => {
    const { rows, bad } = seededFile(5000, 30);
    const s = service({ batchSize: 7 });
    const persons = await count('person');
    const started = await s.commit(gestionnaire, [eg1, eg2], ej, write(toCsv(rows)), { fileName: 'equipe.csv', declarations: allDeclarations });
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
    // The batch's own audit entry: who, which mode, what was declared (no personal data).
    const audit = await t.db.selectFrom('auditEvent').select(['actorId', 'after']).where('action', '=', 'bulk-import.committed').where('entityId', '=', started.id).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ actorId: gestionnaire.id, after: { mode: 'register', declarations: allDeclarations, rows: 30, invalid: bad.size } });
  });

  it.each([
    { mode: 'register' as const, declarations: allDeclarations, base: 6000 },
    { mode: 'pending' as const, declarations: null, base: 9500 },
  ])('$mode mode: resumes after a crash mid-batch and with two workers at once, every row imported exactly once', async ({ mode, declarations, base }) => {
    const rows = Array.from({ length: 25 }, (_, i) => validRow(base + i, eg1));
    const s = service({ batchSize: 10 });
    const before = await snapshot();
    const started = await s.commit(gestionnaire, 'all', ej, write(toCsv(rows)), { fileName: 'crash.csv', declarations });
    // The process dies at the 4th row of the first batch. Pending mode: the rows done so far are
    // committed (one transaction each). Register mode: the batch's two sets of 5 (one per lane)
    // are one set-based transaction each: the set that died is not committed at all; the other
    // lane's set, already running, is committed whole or not at all.
    let seen = 0;
    const crash = new Error('killed');
    await expect(s.processBatch(started.id, { onRow: () => { if (++seen === 4) throw crash; } })).rejects.toBe(crash);
    const midway = (await s.progress(started.id)).imported;
    if (mode === 'register') expect([0, 5]).toContain(midway);
    else expect(midway).toBe(4);
    // Restart: a retried job and the start-up resume may run the same batch side by side.
    const restarted = [service({ batchSize: 10 }), service({ batchSize: 10 })];
    while ((await Promise.all(restarted.map((r) => r.processBatch(started.id)))).some((r) => r.pending > 0));
    expect(await s.progress(started.id)).toMatchObject({ mode, status: 'done', imported: 25, failed: 0 });
    // One outcome per row: a registration (person + number) or a request, never both, never two.
    const after = await snapshot();
    expect([after.persons - before.persons, after.requests - before.requests]).toEqual(mode === 'register' ? [25, 0] : [0, 25]);
    const outcomes =
      mode === 'register'
        ? (await t.db.selectFrom('registrationSubmission').select('rpps').where('idempotencyKey', 'like', `bulk-import:${started.id}:%`).execute()).map((k) => k.rpps)
        : (await t.db.selectFrom('preregistration').select('id').where('idempotencyKey', 'like', `bulk-import:${started.id}:%`).execute()).map((r) => r.id);
    expect(outcomes).toHaveLength(25);
    expect(new Set(outcomes).size).toBe(25);
  });

  it('register mode: one registration mail per row, stored as its template, once even after a crash and two workers', async () => {
    // Mails queued through pg-boss as in production; no worker: they stay queued (the batches are run below).
    const runtime = createJobRuntime({
      database: t,
      databaseUrl: t.config.databaseUrl,
      worker: false,
      jobs: [mailSendJob({ db: t.db, mailer: outboxMailer, clock }), verifyIdentityJob({ db: t.db, clock }), bulkImportBatchJob({ db: t.db, clock, config, jobs: { enqueue: async () => null } })],
    });
    await runtime.start({ log: silentLogger });
    try {
      const mail = createMailService({ jobs: runtime, clock });
      const withMail = () => createBulkImportService({ db: t.db, clock, config: { ...config, bulkImport: { ...config.bulkImport, batchSize: 6 } }, jobs: runtime, mail });
      const rows = Array.from({ length: 14 }, (_, i) => validRow(8500 + i, eg1));
      const s = withMail();
      const started = await s.commit(gestionnaire, 'all', ej, write(toCsv(rows)), { fileName: 'mails.csv', declarations: allDeclarations });
      let seen = 0;
      const crash = new Error('killed');
      await expect(s.processBatch(started.id, { onRow: () => { if (++seen === 3) throw crash; } })).rejects.toBe(crash);
      const restarted = [withMail(), withMail()];
      while ((await Promise.all(restarted.map((r) => r.processBatch(started.id)))).some((r) => r.pending > 0));
      expect(await s.progress(started.id)).toMatchObject({ status: 'done', imported: 14, failed: 0 });

      const registered = await t.db
        .selectFrom('registrationSubmission')
        .innerJoin('person', 'person.id', 'registrationSubmission.personId')
        .select(['person.id', 'person.rpps', 'person.email'])
        .where('idempotencyKey', 'like', `bulk-import:${started.id}:%`)
        .execute();
      expect(registered).toHaveLength(14);
      const mails = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', 'in', registered.map((p) => `registration-created:${p.id}`)).execute();
      expect(mails).toHaveLength(14);
      // One delivery job per mail, never two.
      const { rows: jobs } = await sql<{ mailId: string }>`SELECT data->>'mailId' AS "mailId" FROM pgboss.job WHERE name = 'mail.send'`.execute(t.db);
      const jobsOf = (id: string) => jobs.filter((j) => j.mailId === id).length;
      expect(mails.map((m) => jobsOf(m.id))).toEqual(mails.map(() => 1));
      for (const p of registered) {
        const stored = mails.find((m) => m.dedupeKey === `registration-created:${p.id}`)!;
        // A few fields instead of the rendered text and HTML.
        expect(stored).toMatchObject({ to: p.email, subject: `Votre numéro RPPS : ${p.rpps}`, text: '', html: null, template: 'register.registration' });
        expect(JSON.stringify(stored.params).length).toBeLessThan(600);
        // Rendered as sent: the form's registration mail (number, e-CPS identifier).
        const rendered = (await getMail(t.db, stored.id))!;
        expect(rendered.text).toContain(`Votre numéro RPPS : ${p.rpps}`);
        expect(rendered.text).toContain(`soit 8${p.rpps}.`);
        expect(rendered.html).toContain('<!doctype html>');
      }
    } finally {
      await runtime.stop();
    }
  });

  it('runs in background jobs; stopping the runtime after some batches and restarting finishes the import', async () => {
    const batchConfig = { ...config, bulkImport: { ...config.bulkImport, batchSize: 4 } };
    // The first runtime queues the next batch once only: it stops after exactly two batches (8 rows),
    // however fast or loaded the machine (no race between its stop and the last batches).
    let continuations = 0;
    const makeRuntime = (stopAfterTwoBatches: boolean) => {
      const runtime: JobRuntime = createJobRuntime({
        database: t,
        databaseUrl: t.config.databaseUrl,
        worker: true,
        pollingIntervalSeconds: 0.5,
        // The register queues the identity check of every new person in the registering transaction.
        jobs: [
          bulkImportBatchJob({
            db: t.db,
            clock,
            config: batchConfig,
            jobs: { enqueue: async (...a) => (stopAfterTwoBatches && a[1] === 'bulk-import.batch' && ++continuations > 1 ? null : runtime.enqueue(...a)) },
          }),
          verifyIdentityJob({ db: t.db, clock }),
        ],
      });
      return runtime;
    };
    // Enough batches that the stop lands midway even when the batches run fast.
    const rows = Array.from({ length: 80 }, (_, i) => validRow(7000 + i, eg2));
    const persons = await count('person');
    const first = makeRuntime(true);
    await first.start({ log: silentLogger });
    const s1 = createBulkImportService({ db: t.db, clock, config: batchConfig, jobs: first });
    const started = await s1.commit(gestionnaire, 'all', ej, write(toCsv(rows)), { fileName: 'jobs.csv', declarations: allDeclarations });
    await until(async () => ((await s1.progress(started.id)).imported >= 8 ? true : undefined));
    await first.stop();
    const midway = await s1.progress(started.id);
    expect(midway).toMatchObject({ status: 'committing', imported: 8 });

    const second = makeRuntime(false);
    await second.start({ log: silentLogger });
    try {
      const s2 = createBulkImportService({ db: t.db, clock, config: batchConfig, jobs: second });
      // The next batch a stopped runtime leaves queued, and the one queued again at start-up: both run, no row doubled.
      await t.db.transaction().execute((trx) => second.enqueue(trx, 'bulk-import.batch', { importId: started.id }));
      expect(await s2.resumeUnfinished()).toContain(started.id);
      const done = await until(async () => {
        const p = await s2.progress(started.id);
        return p.status === 'done' ? p : undefined;
      }, 60_000);
      expect(done).toMatchObject({ imported: 80, failed: 0 });
      expect((await count('person')) - persons).toBe(80);
    } finally {
      await second.stop();
    }
  }, 90_000);
});

describe('XLSX', () => {
  it('the same rows as CSV and as XLSX (text cells, or Excel dates and numbers) give the same dry-run report', async () => {
    const { rows } = seededFile(8000, 20);
    // Leading zeros that Excel drops from numbers: an INSEE commune code.
    rows[1] = { ...rows[1], birthCommuneCode: '01053' };
    const csv = await service().dryRun([eg1, eg2], ej, write(toCsv(rows)));
    const text = await service().dryRun([eg1, eg2], ej, write(await toXlsx(rows), 'xlsx'), { fileName: 'equipe.xlsx' });
    const typed = await service().dryRun([eg1, eg2], ej, write(await toXlsx(rows, { typed: true }), 'xlsx'), { fileName: 'equipe.xlsx' });
    expect(csv.invalid).toBeGreaterThan(0);
    expect(text).toMatchObject({ format: 'xlsx', encoding: null, delimiter: null });
    expect(text.report).toEqual(csv.report);
    expect(typed.report).toEqual(csv.report);
  });

  it('the XLSX template has the French headers and a valid example row', async () => {
    const report = await service().dryRun('all', ej, write(await templateXlsx(), 'xlsx'));
    expect(report).toMatchObject({ format: 'xlsx', rows: 1, valid: 1 });
  });

  it('a bad header, a corrupt workbook, a CSV renamed .xlsx: 422 with a French detail, nothing written', async () => {
    const renamed = write(toCsv([validRow(8101)]), 'xlsx');
    const corrupt = write(Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(2000, 1)]), 'xlsx');
    const { default: ExcelJS } = await import('exceljs');
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('Feuil1').addRow(['Nom', 'Prénom']);
    const headerless = write(Buffer.from(await wb.xlsx.writeBuffer()), 'xlsx');
    const before = await snapshot();
    for (const [f, words] of [[headerless, 'Date de naissance'], [corrupt, 'endommagé'], [renamed, 'CSV renommé']] as const) {
      for (const run of [
        () => service().dryRun('all', ej, f, { fileName: path.basename(f) }),
        () => service().commit(gestionnaire, 'all', ej, f, { fileName: path.basename(f), declarations: null }),
      ]) {
        const err = await failure(run());
        expect([err.status, err.code]).toEqual([422, 'bulk-import-unreadable']);
        expect(err.detail).toContain(words);
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('stops at the row limit while reading the sheet', async () => {
    const f = write(await toXlsx(Array.from({ length: 30 }, (_, i) => validRow(8200 + i))), 'xlsx');
    const err = await failure(service({ maxRows: 10 }).dryRun('all', ej, f));
    expect([err.status, err.code]).toEqual([413, 'bulk-import-too-many-rows']);
  });
});

describe('pending requests mode (no declarations)', () => {
  const person = (accountId: string, roles: PersonActor['roles']): PersonActor => ({
    kind: 'person',
    accountId,
    sessionId: `session-${accountId}`,
    provider: 'psc',
    idnps: null,
    familyName: 'Test',
    givenName: 'Test',
    roles,
    csrfToken: 'x',
  });
  const ejWide = person('00000000-0000-4000-8000-0000000000e1', [{ role: 'gestionnaire', ejFiness: ej, egFiness: null }]);
  const eg2Only = person('00000000-0000-4000-8000-0000000000e2', [{ role: 'gestionnaire', ejFiness: ej, egFiness: eg2 }]);
  const otherEj = person('00000000-0000-4000-8000-0000000000e3', [{ role: 'gestionnaire', ejFiness: '690801576', egFiness: null }]);
  const enqueued: Array<{ name: string; payload: unknown }> = [];
  const jobs = { enqueue: async (_trx: unknown, name: string, payload: unknown) => (enqueued.push({ name, payload }), null) } as unknown as JobQueue;
  const prereg = () => createPreregistrationService({ db: t.db, clock, config, jobs });
  const fromImport = async (importId: string) =>
    t.db.selectFrom('preregistration').selectAll().where('idempotencyKey', 'like', `bulk-import:${importId}:%`).orderBy('idempotencyKey').execute();

  it('one pending request per valid row, in the queue of the gestionnaires in scope only; validating one registers the professional', async () => {
    const { rows, bad } = seededFile(9000, 12);
    rows[2] = { ...rows[2], exerciseLastName: 'Dupré' };
    const s = service({ batchSize: 5 });
    const before = await snapshot();
    const started = await s.commit(gestionnaire, [eg1, eg2], ej, write(toCsv(rows)), { fileName: 'demandes.csv', declarations: null });
    expect(started).toMatchObject({ mode: 'pending', pending: 12 - bad.size });
    while ((await s.processBatch(started.id)).pending > 0);
    expect(await s.progress(started.id)).toMatchObject({ status: 'done', imported: 12 - bad.size, failed: 0 });
    // Nobody registered yet: requests only, with their audit entries.
    expect((await count('person')) - before.persons).toBe(0);
    const requests = await fromImport(started.id);
    expect(requests).toHaveLength(12 - bad.size);
    expect(requests.every((r) => r.status === 'pending' && r.source === 'bulk-import' && r.accountId === null && r.ejFiness === ej)).toBe(true);
    const audits = await t.db.selectFrom('auditEvent').select(['action', 'entityId']).where('action', 'in', ['preregistration.created-from-file', 'bulk-import.committed']).execute();
    expect(audits.filter((a) => requests.some((r) => r.id === a.entityId))).toHaveLength(requests.length);
    expect(audits.filter((a) => a.entityId === started.id).map((a) => a.action)).toEqual(['bulk-import.committed']);
    // Rows keep no personal data once their request exists; the report names the request.
    const done = await s.rowsOf(started.id);
    expect(done.filter((r) => r.status === 'imported').every((r) => r.requestId && !r.rpps)).toBe(true);
    expect(reportCsv(done, 'pending')).toContain(';demande créée;');

    // Queue: the EJ-wide gestionnaire sees them all, the EG one those of his EG, another EJ's none.
    const ids = (q: { items: Array<{ id: string }> }) => new Set(q.items.map((i) => i.id));
    const all = ids(await prereg().queue(ejWide));
    expect(requests.every((r) => all.has(r.id))).toBe(true);
    const mine = ids(await prereg().queue(eg2Only));
    expect(requests.filter((r) => mine.has(r.id)).map((r) => r.egFiness)).toEqual(requests.filter((r) => r.egFiness === eg2).map((r) => r.egFiness));
    const none = ids(await prereg().queue(otherEj));
    expect(requests.some((r) => none.has(r.id))).toBe(false);
    const foreign = requests.find((r) => r.egFiness === eg1)!;
    expect((await failure(prereg().detail(otherEj, foreign.id))).status).toBe(404);
    expect((await failure(prereg().validate(eg2Only, foreign.id, { declarations: { accurateAndInformed: true, metInPerson: true } }))).status).toBe(404);

    // Validation through the existing path: the état civil from the file, the identity check queued.
    const target = requests.find((r) => r.idempotencyKey === `bulk-import:${started.id}:4`)!;
    const detail = await prereg().detail(ejWide, target.id);
    expect(detail).toMatchObject({ source: 'bulk-import', etatCivil: { birthName: rows[2]!.birthName } });
    const validated = await prereg().validate(ejWide, target.id, { declarations: { accurateAndInformed: true, metInPerson: true } });
    expect(validated).toMatchObject({ status: 'validated', newPerson: true });
    const registered = await t.db.selectFrom('person').innerJoin('situation', 'situation.personId', 'person.id').select(['person.id', 'person.identityStatus', 'situation.exerciseLastName']).where('person.rpps', '=', validated.rpps).executeTakeFirstOrThrow();
    expect(registered.exerciseLastName).toBe('Dupré'); // the file's exercise name, as typed (issue 16)
    const job = enqueued.find((j) => j.name === 'register.verify-identity' && (j.payload as { personId: string }).personId === registered.id);
    expect(job).toBeDefined();
    const identity = createIdentityService({ db: t.db, clock, verifier: cogIdentityVerifier(t.db) });
    expect(await identity.verifyIdentity(registered.id)).not.toBe('to_verify');
    // Validating needs the face-to-face declarations, like any request.
    expect((await failure(prereg().validate(ejWide, requests.find((r) => r !== target)!.id, { declarations: { accurateAndInformed: true, metInPerson: false } }))).status).toBe(422);
  });

  it('a person already waiting in the EJ’s queue: reported by the dry run, no second request at commit, even from two files committed together', async () => {
    const s = service();
    const drain = async (id: string) => {
      while ((await s.processBatch(id)).pending > 0);
    };
    const first = await s.commit(gestionnaire, 'all', ej, write(toCsv([validRow(9800, eg1), validRow(9801, eg2)])), { fileName: 'a.csv', declarations: null });
    await drain(first.id);
    const waiting = `Une demande est déjà en attente pour cette personne (demande du 23/11/2026) : traitez-la dans la file des demandes.`;
    // The same person, then a very close one (accents, case, first names in another order), then a new one.
    const again = [
      validRow(9800, eg2, { email: 'autre9800@exemple.fr', mobile: '0677009800' }),
      { ...validRow(9801, eg1, { email: 'autre9801@exemple.fr', mobile: '0677009801' }), birthName: validRow(9801).birthName!.toLowerCase(), firstNames: `Second, ${validRow(9801).firstNames!.split(', ')[0]}` },
      validRow(9802, eg1),
    ];
    const file = write(toCsv(again));
    const report = await s.dryRun('all', ej, file);
    expect(report.report.map((r) => [r.rowNumber, r.status, r.errors.map((e) => e.detail)])).toEqual([
      [2, 'invalid', [waiting]],
      [3, 'invalid', [waiting]],
      [4, 'valid', []],
    ]);
    const before = await count('preregistration');
    const second = await s.commit(gestionnaire, 'all', ej, file, { fileName: 'b.csv', declarations: null });
    expect(second).toMatchObject({ invalid: 2, pending: 1 });
    await drain(second.id);
    expect((await count('preregistration')) - before).toBe(1);

    // Two files naming the same new person, both committed before either is processed: one request.
    const x = await s.commit(gestionnaire, 'all', ej, write(toCsv([validRow(9803, eg1)])), { fileName: 'x.csv', declarations: null });
    const y = await s.commit(gestionnaire, 'all', ej, write(toCsv([validRow(9803, eg2)])), { fileName: 'y.csv', declarations: null });
    await Promise.all([drain(x.id), drain(y.id)]);
    const rows = [...(await s.rowsOf(x.id)), ...(await s.rowsOf(y.id))];
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'imported']);
    expect(rows.find((r) => r.status === 'failed')!.errors).toEqual([{ column: '', detail: waiting }]);
    expect((await count('preregistration')) - before).toBe(2);

    // A decided request no longer blocks: the person may be queued again.
    const firstRequest = (await fromImport(first.id))[0]!;
    await prereg().reject(ejWide, firstRequest.id, { reason: 'Personne non rencontrée' });
    expect((await s.dryRun('all', ej, write(toCsv([validRow(9800, eg1)])))).report[0]).toMatchObject({ status: 'valid' });
  });
});
