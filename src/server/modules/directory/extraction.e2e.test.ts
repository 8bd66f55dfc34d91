import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { createJobRuntime, silentLogger } from '../../jobs/index.ts';
import { personalDataFoundIn, registrationWithPersonalData } from '../fhir/testing.ts';
import { createRegisterService, type RegisterService } from '../register/service.ts';
import { actor, egInScope, otherEgInScope, scope } from '../register/testing.ts';
import { createDirectoryExtraction, type DirectoryExtraction } from './extraction.ts';
import { directoryExtractCron, directoryExtractJob } from './extraction-jobs.ts';
import { createDirectoryPublication } from './publication.ts';

/**
 * Extraction files (issue 8): PS_LibreAcces_Personne_activite in a zip, full and daily delta,
 * stored in the database, listed and downloaded over HTTP; read back with the system `unzip`.
 */

/** The header of FHIR.md §5, verbatim, then the role columns of the newer file version. */
const ansHeader =
  "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|Enseigne commerciale site|Complément destinataire (coord. structure)|Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|Mention distribution (coord. structure)|Bureau cedex (coord. structure)|Code postal (coord. structure)|Code commune (coord. structure)|Libellé commune (coord. structure)|Code pays (coord. structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|Code section tableau pharmaciens|Libellé section tableau pharmaciens|";
const header = `${ansHeader}Code rôle|Libellé rôle|Code genre activité|Libellé genre activité|`;
const columns = header.split('|').slice(0, -1);
const col = (line: string, name: string) => line.split('|')[columns.indexOf(name)];

let t: TestApp;
let app: FastifyInstance;
let register: RegisterService;
let extraction: DirectoryExtraction;
let publish: () => Promise<unknown>;
let now = new Date('2026-11-23T10:00:00Z');
const clock = { now: () => now };
const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-extraction-'));
/** Everything read out of the files and the API, scanned at the end for personal data. */
const seen: string[] = [];
const personalData: string[] = [];
const people: Record<string, { rpps: string; situationId: string; identity: Parameters<RegisterService['addSituation']>[2]['identity'] }> = {};

async function registerPerson(tag: string, n: number, exerciseFirstName?: string) {
  const { input, personalData: secrets } = registrationWithPersonalData(n, tag);
  if (exerciseFirstName) input.situation.exerciseFirstName = exerciseFirstName;
  const r = await register.registerProfessional(actor, scope, input);
  personalData.push(...secrets);
  const ec = input.etatCivil;
  people[tag] = { ...r, identity: { rpps: r.rpps, birthName: ec.birthName!, firstName: ec.firstNames![0]!, sexe: ec.sexe!, birthDate: ec.birthDate! } };
  return people[tag]!;
}

/** Downloads a file through the public route and unzips it with the system tool. */
async function download(id: string) {
  const res = await app.inject({ method: 'GET', url: `/api/directory/extractions/${id}` });
  expect(res.statusCode).toBe(200);
  const zipPath = path.join(tmp, `${id}.zip`);
  fs.writeFileSync(zipPath, res.rawPayload);
  const names = execFileSync('unzip', ['-Z1', zipPath], { encoding: 'utf8' }).trim().split('\n');
  const files = Object.fromEntries(names.map((name) => [name, execFileSync('unzip', ['-p', zipPath, name])]));
  for (const content of Object.values(files)) seen.push(content.toString('utf8'));
  return { res, files };
}

beforeAll(async () => {
  t = await createTestApp({ clock, env: { EXTRACTION_KEEP: '3' } });
  app = t.app;
  register = createRegisterService({ db: t.database.db, clock, config: t.database.config });
  const publication = createDirectoryPublication({ db: t.database.db, clock });
  publish = () => publication.publishPending();
  extraction = createDirectoryExtraction({ db: t.database.db, clock, keep: 3 });
  const a = await registerPerson('A', 701, 'Hélène');
  await register.addSituation(actor, scope, {
    identity: a.identity,
    situation: { egFiness: otherEgInScope, professionCode: '313', roleCode: 'GENR08', modeCode: 'S', startDate: '2026-11-02', exerciseLastName: 'ExerciceA', exerciseFirstName: 'Hélène' },
  });
  await registerPerson('B', 702);
  await registerPerson('C', 703);
  await publish();
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('full extraction file', () => {
  let fullId: string;

  it('has the ANS header and one line per professional × active situation, each ending with |, in UTF-8', async () => {
    const result = await extraction.generate('full');
    expect(result.status).toBe('generated');
    if (result.status === 'running') return;
    fullId = result.extraction.id;
    expect(result.extraction).toMatchObject({ kind: 'full', fileName: 'PS_LibreAcces_202611231100.zip', lineCount: 4 });

    const { files } = await download(fullId);
    expect(Object.keys(files)).toEqual(['PS_LibreAcces_Personne_activite_202611231100.txt']);
    const raw = files['PS_LibreAcces_Personne_activite_202611231100.txt']!;
    const text = raw.toString('utf8');
    // Valid UTF-8 with the accents as they are (é = C3 A9), no byte-order mark.
    expect(Buffer.from(text, 'utf8').equals(raw)).toBe(true);
    expect(raw.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    const lines = text.split('\n');
    expect(lines.at(-1)).toBe('');
    lines.pop();
    expect(lines[0]).toBe(header);
    const body = lines.slice(1);
    expect(body).toHaveLength(4);
    for (const line of body) {
      expect(line.endsWith('|')).toBe(true);
      expect(line.split('|')).toHaveLength(columns.length + 1);
    }

    const ofA = body.filter((l) => col(l, 'Identifiant PP') === people.A!.rpps);
    expect(ofA.map((l) => col(l, 'Numéro FINESS site')).sort()).toEqual([egInScope, otherEgInScope].sort());
    expect(ofA.map((l) => col(l, 'Code genre activité')).sort()).toEqual(['GENR08', 'GENR11']);
    const line = ofA.find((l) => col(l, 'Numéro FINESS site') === egInScope)!;
    expect(col(line, "Type d'identifiant PP")).toBe('8');
    expect(col(line, 'Identification nationale PP')).toBe(`8${people.A!.rpps}`);
    expect(col(line, "Nom d'exercice")).toBe('EXERCICEA');
    // The register keeps exercise names in capitals without accents (RPPS rule); labels keep theirs.
    expect(col(line, "Prénom d'exercice")).toBe('HELENE');
    expect(col(line, 'Code profession')).toBe('313');
    expect(col(line, 'Libellé profession')).toMatch(/soignant/i);
    expect(col(line, 'Code rôle')).toBe('313');
    expect(col(line, 'Code mode exercice')).toBe('S');
    expect(col(line, 'Libellé mode exercice')).toBe('Salarié');
    expect(col(line, 'Raison sociale site')).not.toBe('');
    expect(col(line, 'Code postal (coord. structure)')).toMatch(/^69\d{3}$/);
    expect(col(line, 'Code Département (structure)')).toBe('69');
    expect(col(line, 'Libellé Département (structure)')).toBe('Rhône');
    expect(col(line, 'Libellé genre activité')).not.toBe('');
    // Nothing of the person's civil status or contact: those columns stay empty.
    for (const c of ['Code civilité', 'Libellé civilité', "Code civilité d'exercice", 'Téléphone (coord. structure)', 'Adresse e-mail (coord. structure)']) {
      expect(col(line, c), c).toBe('');
    }
    for (const tag of ['B', 'C']) expect(body.filter((l) => col(l, 'Identifiant PP') === people[tag]!.rpps)).toHaveLength(1);
  });

  it('is listed and served with its generation date, an ETag and its file name', async () => {
    const list = await app.inject({ method: 'GET', url: '/api/directory/extractions' });
    expect(list.statusCode).toBe(200);
    seen.push(list.body);
    const item = list.json().items.find((i: { id: string }) => i.id === fullId);
    expect(item).toMatchObject({ kind: 'full', fileName: 'PS_LibreAcces_202611231100.zip', lineCount: 4, generatedAt: '2026-11-23T10:00:00.000Z', downloadUrl: `/api/directory/extractions/${fullId}` });

    const res = await app.inject({ method: 'GET', url: item.downloadUrl });
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toBe('attachment; filename="PS_LibreAcces_202611231100.zip"');
    expect(res.headers['last-modified']).toBe('Mon, 23 Nov 2026 10:00:00 GMT');
    expect(res.rawPayload.length).toBe(item.sizeBytes);
    expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    const again = await app.inject({ method: 'GET', url: item.downloadUrl, headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 problem for an unknown or malformed id', async () => {
    for (const id of ['0b7c2f5e-1111-4222-8333-944455556666', 'not-an-id']) {
      const res = await app.inject({ method: 'GET', url: `/api/directory/extractions/${id}` });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toContain('directory-extraction-not-found');
    }
  });
});

describe('daily delta', () => {
  it('is empty right after a full file, then holds only the changed professionals and reports withdrawals', async () => {
    later(60);
    const empty = await extraction.generate('delta');
    if (empty.status === 'running') throw new Error('unexpected');
    expect(empty.extraction).toMatchObject({ kind: 'delta', fileName: 'PS_LibreAcces_Delta_202611231200.zip', lineCount: 0, withdrawnCount: 0 });

    // B leaves (his only situation ends), A keeps one of his two, D is new; C does not change.
    later(60);
    await register.endSituation(actor, scope, people.B!.situationId, { endDate: '2026-11-23', reason: 'departure' });
    await register.endSituation(actor, scope, people.A!.situationId, { endDate: '2026-11-23', reason: 'departure' });
    await registerPerson('D', 704);
    await publish();
    later(60);
    const delta = await extraction.generate('delta');
    if (delta.status === 'running') throw new Error('unexpected');
    expect(delta.extraction).toMatchObject({ kind: 'delta', lineCount: 2, withdrawnCount: 1 });
    const { files } = await download(delta.extraction.id);
    const lines = files['PS_LibreAcces_Personne_activite_202611231400.txt']!.toString('utf8').split('\n').slice(0, -1);
    expect(lines[0]).toBe(header);
    expect(lines.slice(1).map((l) => `${col(l, 'Identifiant PP')}:${col(l, 'Numéro FINESS site')}`).sort()).toEqual(
      [`${people.A!.rpps}:${otherEgInScope}`, `${people.D!.rpps}:${egInScope}`].sort(),
    );
    const withdrawn = files['PS_LibreAcces_Personne_activite_Retraits_202611231400.txt']!.toString('utf8');
    expect(withdrawn).toBe(`Type d'identifiant PP|Identifiant PP|Identification nationale PP|\n8|${people.B!.rpps}|8${people.B!.rpps}|\n`);

    // The full file no longer has B, nor A's ended situation.
    later(1);
    const full = await extraction.generate('full');
    if (full.status === 'running') throw new Error('unexpected');
    expect(full.extraction.lineCount).toBe(3);
  });
});

describe('failure', () => {
  it('a database error while the lines are read leaves no file (and does not bring the process down)', async () => {
    later(1);
    // The query that reads the lines fails, as a lost connection would, after the zip has started.
    const failing = t.database.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (args.result.rows.some((r) => 'roleId' in (r as object))) throw new Error('connection lost');
        return args.result;
      },
    });
    const before = await t.database.db.selectFrom('directoryExtraction').select('id').execute();
    await expect(createDirectoryExtraction({ db: failing, clock, keep: 3 }).generate('full')).rejects.toThrow('connection lost');
    const after = await t.database.db.selectFrom('directoryExtraction').select('id').execute();
    expect(after).toHaveLength(before.length);
    expect(await t.database.db.selectFrom('directoryExtractionChunk').select('n').where('extractionId', 'not in', after.map((a) => a.id)).execute()).toEqual([]);
  });
});

describe('job', () => {
  it('two concurrent runs produce one file; the daily run (no kind) makes a delta and a full file', async () => {
    later(60);
    const before = await t.database.db.selectFrom('directoryExtraction').select('id').execute();
    const results = await Promise.all([extraction.generate('full'), extraction.generate('full')]);
    expect(results.map((r) => r.status).sort()).toEqual(expect.arrayContaining(['generated']));
    expect(results.filter((r) => r.status === 'generated')).toHaveLength(1);
    const after = await t.database.db.selectFrom('directoryExtraction').select(['id', 'kind']).execute();
    expect(after.length - before.length).toBe(1);

    later(60);
    const job = directoryExtractJob({ db: t.database.db, clock, config: t.database.config });
    const run = { id: 'test', attempt: 1, lastAttempt: false, log: silentLogger };
    await Promise.all([job.handler({}, run), job.handler({}, run)]);
    const daily = await t.database.db.selectFrom('directoryExtraction').select(['kind', 'fileName']).where('generatedAt', '=', now).execute();
    expect(daily.map((d) => d.kind).sort()).toEqual(['delta', 'full']);
  });

  it('is scheduled daily with pg-boss cron and runs through the job runtime', async () => {
    later(60);
    const runtime = createJobRuntime({
      database: t.database,
      databaseUrl: t.database.config.databaseUrl,
      worker: true,
      pollingIntervalSeconds: 0.5,
      jobs: [directoryExtractJob({ db: t.database.db, clock, config: t.database.config })],
    });
    await runtime.start();
    try {
      const schedules = await runtime.boss.getSchedules();
      expect(schedules).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'directory.extract', cron: directoryExtractCron, timezone: 'Europe/Paris' })]));
      await runtime.enqueue(t.database.db, 'directory.extract', { kind: 'full' }, { singletonKey: 'directory.extract' });
      const deadline = Date.now() + 20_000;
      let file;
      while (!(file = await t.database.db.selectFrom('directoryExtraction').select('kind').where('generatedAt', '=', now).executeTakeFirst())) {
        if (Date.now() > deadline) throw new Error('the job did not generate the file');
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(file.kind).toBe('full');
    } finally {
      await runtime.stop();
    }
  });

  it('keeps the last EXTRACTION_KEEP files of each kind', async () => {
    const rows = await t.database.db.selectFrom('directoryExtraction').select('kind').execute();
    expect(rows.filter((r) => r.kind === 'full')).toHaveLength(3);
    const chunks = await t.database.db
      .selectFrom('directoryExtractionChunk')
      .leftJoin('directoryExtraction', 'directoryExtraction.id', 'directoryExtractionChunk.extractionId')
      .select('directoryExtraction.id')
      .execute();
    expect(chunks.every((c) => c.id !== null)).toBe(true);
  });
});

describe('personal data', () => {
  it('appears in none of the files nor the list', () => {
    expect(seen.length).toBeGreaterThan(3);
    expect(personalDataFoundIn(seen.join('\n'), personalData)).toEqual([]);
  });
});
