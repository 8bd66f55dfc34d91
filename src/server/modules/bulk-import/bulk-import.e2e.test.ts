import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { createApiKeyService } from '../../auth/api-keys.ts';
import { demo, multipart, sessionFor, type Session } from '../onboarding/testing.ts';
import { createBulkImportService } from './service.ts';
import { toCsv, toXlsx, validRow } from './testing.ts';

/** Bulk import over HTTP (issue 10): template, dry run, commit and progress, 413, scope, machine clients. */
const base = '/api/bulk-imports';
let t: TestApp;
let gEg: Session;
let gEj: Session;
/** `registrations:bulk` keys: of EJ A (HR software of the Tilleuls), of EJ B, and national (ANS). */
const keys = { a: '', b: '', national: '' };

const form = (content: Buffer, fields: Record<string, string | string[]>, name = 'equipe.csv') => multipart(fields, { file: { name, content, type: 'text/csv' } });
/** The form's two declarations, ticked for the batch (the checkbox group sends the field once per box). */
const both = ['accurateAndInformed', 'metInPerson'];
const count = async (table: 'person' | 'bulkImport' | 'preregistration') => Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestApp({ env: { BULK_IMPORT_MAX_BYTES: '20000' } });
  gEg = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEg);
  gEj = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
  const apiKeys = createApiKeyService({ db: t.database.db, clock: { now: () => new Date() } });
  keys.a = (await apiKeys.create({ name: 'SI RH A', scopes: ['registrations:bulk'], ejFiness: demo.ej })).key;
  keys.b = (await apiKeys.create({ name: 'SI RH B', scopes: ['registrations:bulk'], ejFiness: demo.otherEj })).key;
  keys.national = (await apiKeys.create({ name: 'Outil ANS', scopes: ['registrations:bulk'], national: true })).key;
});
afterAll(() => t?.close());

describe('bulk import API', () => {
  it('serves the template to anyone', async () => {
    const res = await t.app.inject({ method: 'GET', url: `${base}/template.csv` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toContain('Nom de naissance;');
  });

  it('serves each list of valid codes as CSV code;libellé to anyone, formulas neutralised (issue 17)', async () => {
    for (const [list, line] of [['civilite', 'MME;'], ['pays', '99100;'], ['communes', '69123;'], ['professions', '313;'], ['roles', 'GENR11;'], ['modes', 'S;']] as const) {
      const res = await t.app.inject({ method: 'GET', url: `${base}/codes/${list}` });
      expect(res.statusCode, list).toBe(200);
      expect(res.headers['content-type']).toContain('text/csv');
      expect(res.headers['content-disposition']).toContain(`codes-${list}.csv`);
      const lines = res.body.split('\r\n');
      expect(lines[0]).toBe('\uFEFFCode;Libellé');
      expect(lines.some((l) => l.startsWith(line)), `${list}: ${line}`).toBe(true);
      expect(lines.every((l) => !/^[=+\-@]|;[=+\-@]/.test(l))).toBe(true);
    }
    // The libéral mode is never accepted by the import: it is not offered.
    expect((await t.app.inject({ method: 'GET', url: `${base}/codes/modes` })).body).not.toMatch(/\r\nL;/);
    const unknown = await t.app.inject({ method: 'GET', url: `${base}/codes/inconnue` });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('lists the EJ of the gestionnaire with the EG of his scope', async () => {
    const res = await gEg.get(`${base}/structures`);
    expect(res.json()).toEqual({ items: [{ ejFiness: demo.ej, name: expect.any(String), egFiness: [demo.eg1] }] });
  });

  it('dry run: per-row report as JSON or CSV, nothing written', async () => {
    const csv = toCsv([validRow(1, demo.eg1), validRow(2, demo.eg1, { email: 'faux' }), validRow(3, demo.eg2)]);
    const before = [await count('person'), await count('bulkImport')];
    const f = form(csv, { ejFiness: demo.ej, mode: 'dry-run' });
    const res = await gEg.send('POST', `${base}/`, f.payload, f.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().report.map((r: { status: string }) => r.status)).toEqual(['valid', 'invalid', 'invalid']);
    const asCsv = form(csv, { ejFiness: demo.ej, mode: 'dry-run', format: 'csv' });
    const csvRes = await gEg.send('POST', `${base}/`, asCsv.payload, asCsv.headers);
    expect(csvRes.headers['content-type']).toContain('text/csv');
    // Each line names its person: birth name and first first name (issue 17).
    const third = validRow(3, demo.eg2);
    expect(csvRes.body, csvRes.body).toContain(`4;${third.birthName} ${third.firstNames!.split(',')[0]};erreur;FINESS de l’établissement;`);
    expect(res.json().report[1]).toMatchObject({ rowNumber: 3, person: `${validRow(2).birthName} ${validRow(2).firstNames!.split(',')[0]}` });
    expect([await count('person'), await count('bulkImport')]).toEqual(before);
  });

  it('refuses an EG outside the scope at commit (403, rows named) and an EJ of someone else', async () => {
    const f = form(toCsv([validRow(10, demo.eg1), validRow(11, demo.eg2)]), { ejFiness: demo.ej, mode: 'commit', declarations: both });
    const res = await gEg.send('POST', `${base}/`, f.payload, f.headers);
    expect(res.statusCode).toBe(403);
    expect(res.json().errors).toEqual([{ pointer: '/rows/3/egFiness', detail: expect.stringContaining('Ligne 3') }]);
    const other = form(toCsv([validRow(12, demo.otherEjEg)]), { ejFiness: demo.otherEj, mode: 'dry-run' });
    const refused = await gEj.send('POST', `${base}/`, other.payload, other.headers);
    expect([refused.statusCode, refused.json().type, refused.json().detail]).toEqual([
      403,
      'urn:rpps-plus:problem:bulk-import-forbidden',
      'Vous n’êtes pas gestionnaire d’un établissement de cette entité juridique.',
    ]);
  });

  it('answers 413 for a file over the configured size, before reading it', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => validRow(100 + i, demo.eg1));
    const f = form(toCsv(rows), { ejFiness: demo.ej, mode: 'dry-run' });
    const res = await gEj.send('POST', `${base}/`, f.payload, f.headers);
    expect([res.statusCode, res.json().type]).toEqual([413, 'urn:rpps-plus:problem:bulk-import-too-large']);
  });

  it('commits (202), shows progress, and only to people of the scope', async () => {
    const f = form(toCsv([validRow(20, demo.eg1), validRow(21, demo.eg2), validRow(22, demo.eg2, { birthDate: '2030-01-01' })]), { ejFiness: demo.ej, mode: 'commit', declarations: both });
    const res = await gEj.send('POST', `${base}/`, f.payload, f.headers);
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().id as string;
    expect(res.json()).toMatchObject({ status: 'committing', rows: 3, invalid: 1, pending: 2 });
    // No worker in this test app: run the batch as the job would.
    await createBulkImportService({ db: t.database.db, clock: { now: () => new Date() }, config: t.database.config }).processBatch(id);
    const progress = await gEj.get(`${base}/${id}`);
    expect(progress.json()).toMatchObject({ status: 'done', imported: 2, invalid: 1 });
    expect((await gEj.get(`${base}/${id}/report.csv`)).body).toMatch(/\n2;Import[A-Za-z]+ Prenom[A-Za-z]+;importée;;;\d{11}/);
    // The EG-scoped gestionnaire shares EG 690800206 with the import, but its report names the
    // people registered in EG 2: he does not follow it (404, as for an unknown id); nor does a professional.
    for (const url of [`${base}/${id}`, `${base}/${id}/report.csv`]) {
      const refused = await gEg.get(url);
      expect([refused.statusCode, refused.json().type], url).toEqual([404, 'urn:rpps-plus:problem:bulk-import-not-found']);
      expect(refused.body).not.toMatch(/\d{11}/);
    }
    const pro = await sessionFor(t.app, t.database.db, demo.idnps.professional);
    expect((await pro.get(`${base}/${id}`)).statusCode).toBe(404);
    // His own import, within his EG, he follows (and so do those whose scope covers it).
    const own = form(toCsv([validRow(23, demo.eg1)]), { ejFiness: demo.ej, mode: 'commit', declarations: both });
    const mine = await gEg.send('POST', `${base}/`, own.payload, own.headers);
    expect(mine.statusCode, mine.body).toBe(202);
    expect((await gEg.get(`${base}/${mine.json().id}`)).statusCode).toBe(200);
    expect((await gEj.get(`${base}/${mine.json().id}`)).statusCode).toBe(200);
  });

  it('declarations: an unknown one, or one of the two alone, is refused (400) before anything is written', async () => {
    const before = [await count('person'), await count('bulkImport'), await count('preregistration')];
    for (const declarations of [['accurateAndInformed', 'faceAFace'], ['metInPerson'], 'true']) {
      const f = form(toCsv([validRow(40, demo.eg1)]), { ejFiness: demo.ej, mode: 'commit', declarations });
      const res = await gEj.send('POST', `${base}/`, f.payload, f.headers);
      expect([res.statusCode, res.json().type], res.body).toEqual([400, 'urn:rpps-plus:problem:validation']);
      expect(res.json().errors[0].pointer).toMatch(/^\/body\/declarations/);
    }
    expect([await count('person'), await count('bulkImport'), await count('preregistration')]).toEqual(before);
  });

  it('without declarations: one pending request per valid row, in the queue of the EG gestionnaire', async () => {
    const persons = await count('person');
    const f = form(toCsv([validRow(50, demo.eg1), validRow(51, demo.eg1, { email: 'faux' })]), { ejFiness: demo.ej, mode: 'commit' });
    const res = await gEg.send('POST', `${base}/`, f.payload, f.headers);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toMatchObject({ mode: 'pending', rows: 2, invalid: 1, pending: 1 });
    await createBulkImportService({ db: t.database.db, clock: { now: () => new Date() }, config: t.database.config }).processBatch(res.json().id);
    expect((await gEg.get(`${base}/${res.json().id}/report.csv`)).body).toMatch(/\n2;Import[A-Za-z]+ Prenom[A-Za-z]+;demande créée;;;\r\n/);
    const queue = (await gEg.get('/api/preregistration/queue')).json() as { items: Array<{ source: string; etatCivil: { birthName: string } }> };
    expect(queue.items.filter((i) => i.source === 'bulk-import').map((i) => i.etatCivil.birthName)).toEqual([validRow(50).birthName]);
    expect(await count('person')).toBe(persons);
  });

  it('XLSX: the template is served; a CSV renamed .xlsx and a corrupt workbook are refused (422, French detail)', async () => {
    const template = await t.app.inject({ method: 'GET', url: `${base}/template.xlsx` });
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-type']).toContain('spreadsheetml');
    expect(template.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const ok = form(await toXlsx([validRow(60, demo.eg1)]), { ejFiness: demo.ej, mode: 'dry-run' }, 'equipe.xlsx');
    expect((await gEg.send('POST', `${base}/`, ok.payload, ok.headers)).json()).toMatchObject({ format: 'xlsx', valid: 1 });
    const before = await count('bulkImport');
    for (const content of [toCsv([validRow(61, demo.eg1)]), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(500, 3)])]) {
      const f = form(content, { ejFiness: demo.ej, mode: 'commit' }, 'equipe.xlsx');
      const res = await gEg.send('POST', `${base}/`, f.payload, f.headers);
      expect([res.statusCode, res.json().type]).toEqual([422, 'urn:rpps-plus:problem:bulk-import-unreadable']);
      expect(res.json().detail).toMatch(/classeur Excel/);
    }
    expect(await count('bulkImport')).toBe(before);
  });

  const asKey = (key: string, method: 'GET' | 'POST', url: string, f?: { payload: unknown; headers: Record<string, string> }) =>
    t.app.inject({ method, url: `${base}/machine${url}`, payload: f?.payload as string | undefined, headers: { ...f?.headers, authorization: `Bearer ${key}` } });

  it('machine clients: registrations:bulk key only; a national key imports anywhere', async () => {
    const f = form(toCsv([validRow(30, demo.otherEjEg)]), { ejFiness: demo.otherEj, mode: 'dry-run' });
    const res = await asKey(keys.national, 'POST', '/', f);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ valid: 1 });
    const anonymous = await t.app.inject({ method: 'POST', url: `${base}/machine/`, payload: f.payload, headers: f.headers });
    expect(anonymous.statusCode).toBe(401);
  });

  it('a key bound to EJ A: imports into A; into B, or a row in an EG of B, is refused (403) before any write', async () => {
    const dry = form(toCsv([validRow(70, demo.eg1), validRow(71, demo.eg2)]), { ejFiness: demo.ej, mode: 'dry-run' });
    expect((await asKey(keys.a, 'POST', '/', dry)).json()).toMatchObject({ valid: 2 });

    const before = [await count('person'), await count('bulkImport'), await count('preregistration')];
    const intoB = await asKey(keys.a, 'POST', '/', form(toCsv([validRow(72, demo.otherEjEg)]), { ejFiness: demo.otherEj, mode: 'commit', declarations: both }));
    expect([intoB.statusCode, intoB.json().type], intoB.body).toEqual([403, 'urn:rpps-plus:problem:bulk-import-forbidden']);
    const dryB = await asKey(keys.a, 'POST', '/', form(toCsv([validRow(72, demo.otherEjEg)]), { ejFiness: demo.otherEj, mode: 'dry-run' }));
    expect(dryB.statusCode).toBe(403);
    // Worded for a key, not for a person.
    const forKey = 'Cette clé d’API n’est pas rattachée à cette entité juridique : elle n’importe que dans la sienne.';
    expect([intoB.json().detail, dryB.json().detail]).toEqual([forKey, forKey]);
    // Its own EJ named, but rows in an EG of B: the whole file is refused, the rows named.
    const rowsOfB = form(toCsv([validRow(73, demo.eg1), validRow(74, demo.otherEjEg), validRow(75, demo.otherEjEg)]), { ejFiness: demo.ej, mode: 'commit' });
    const mixed = await asKey(keys.a, 'POST', '/', rowsOfB);
    expect([mixed.statusCode, mixed.json().type], mixed.body).toEqual([403, 'urn:rpps-plus:problem:eg-out-of-scope']);
    expect(mixed.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/rows/3/egFiness', '/rows/4/egFiness']);
    expect([await count('person'), await count('bulkImport'), await count('preregistration')]).toEqual(before);
  });

  it('a key follows its own EJ’s imports only: another EJ’s import is not found (404), progress and report', async () => {
    const committed = await asKey(keys.a, 'POST', '/', form(toCsv([validRow(80, demo.eg1)]), { ejFiness: demo.ej, mode: 'commit', declarations: both }));
    expect(committed.statusCode, committed.body).toBe(202);
    const id = committed.json().id as string;
    await createBulkImportService({ db: t.database.db, clock: { now: () => new Date() }, config: t.database.config }).processBatch(id);
    // The gestionnaire of the whole EJ A imports too: A's key follows it, B's key does not.
    const byGestionnaire = form(toCsv([validRow(81, demo.eg2)]), { ejFiness: demo.ej, mode: 'commit', declarations: both });
    const gestId = (await gEj.send('POST', `${base}/`, byGestionnaire.payload, byGestionnaire.headers)).json().id as string;
    for (const imp of [id, gestId]) {
      for (const url of [`/${imp}`, `/${imp}/report.csv`]) {
        expect((await asKey(keys.a, 'GET', url)).statusCode, url).toBe(200);
        const other = await asKey(keys.b, 'GET', url);
        expect([other.statusCode, other.json().type], url).toEqual([404, 'urn:rpps-plus:problem:bulk-import-not-found']);
        expect(other.body).not.toContain(demo.ej);
      }
    }
    expect((await asKey(keys.a, 'GET', `/${id}/report.csv`)).body).toMatch(/\n2;Import[A-Za-z]+ Prenom[A-Za-z]+;importée;;;\d{11}/);
    expect((await asKey(keys.national, 'GET', `/${id}`)).statusCode).toBe(200);
  });
});
