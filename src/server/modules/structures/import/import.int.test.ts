import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../tests/support/db.ts';
import { demoFinessFiles } from '../../../demo.ts';
import { luhnKey } from '../../../identifiers.ts';
import { importFinessFile, UnknownFormatError } from './index.ts';

let t: TestDatabase;
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-finess-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
beforeEach(async () => {
  t = await createTestDatabase();
});
afterEach(async () => t?.close());

const header = 'finess;etalab;111;2026-05-12';
/** A fictitious FINESS number with a valid key: department prefix + 6 digits + Luhn key. */
const finess = (payload8: string) => payload8 + luhnKey(payload8);
const EJ = finess('75090001');
const EG1 = finess('75090002');
const EG2 = finess('75090003');

const ejLine = (n: string, name = 'ASSOCIATION DU TEST FICTIF', phone = '0100000000') =>
  `structureej;${n};${name};${name} DE PARIS;;1;R;DU TEST;;;;056;75015 PARIS;75;PARIS;${phone};60;Association Loi 1901 non R.U.P.;;;123456782;8899B;1990-01-01`;
const egLine = (n: string, ej: string, name = 'EHPAD DU TEST', extra: { dept?: string; commune?: string; opened?: string } = {}) =>
  `structureet;${n};${ej};${name};${name} LONG;;;3;AV;DES ESSAIS;B;;${extra.commune ?? '056'};${extra.dept ?? '75'};PARIS;75015 PARIS CEDEX 15;0100000001;;500;Etablissement d'hébergement pour personnes âgées dépendantes;4401;Etablissements d'Hébergement pour Personnes Âgées;12345678200011;8710A;40;ARS;;;${extra.opened ?? '2001-02-03'};2000-01-01;2025-06-30;`;

function write(name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

const structure = (n: string) => t.db.selectFrom('structure').selectAll().where('finess', '=', n).executeTakeFirst();
const historyOf = (n: string) =>
  t.db.selectFrom('structureHistory').select(['field', 'oldValue', 'newValue', 'source']).where('finess', '=', n).orderBy('field').execute();

describe('legacy etalab extracts', () => {
  it('imports EJ (cs1100501) and EG (cs1100507 with geolocation rows) and links them', async () => {
    const ejFile = write('ej.csv', [header, ejLine(EJ)].join('\n') + '\n');
    const egFile = write(
      'eg.csv',
      [header, egLine(EG1, EJ), egLine(EG2, EJ, 'SSIAD DU TEST'), `geolocalisation;${EG1};651000.1;6860000.2;1,ATLASANTE,96,BAN,EPSG:2154 RGF93 / Lambert-93 (Métropole);2026-05-04`].join('\r\n'),
    );

    const ej = await importFinessFile(t.db, ejFile);
    expect(ej).toMatchObject({ format: 'etalab-csv', read: 1, inserted: 1, updated: 0, unchanged: 0, invalid: 0, applied: true });
    const eg = await importFinessFile(t.db, egFile);
    expect(eg).toMatchObject({ read: 2, inserted: 2, invalid: 0, source: 'finess-etalab:2026-05-12#111' });

    expect(await structure(EG1)).toMatchObject({
      kind: 'EG',
      ejFiness: EJ,
      name: 'EHPAD DU TEST',
      categoryCode: '500',
      addressLine: '3 BIS AVENUE DES ESSAIS',
      postalCode: '75015',
      city: 'PARIS',
      inseeCode: '75056',
      departmentCode: '75',
      openedOn: '2001-02-03',
      finessUpdatedOn: '2025-06-30',
      closedOn: null,
      searchText: `ehpad du test ehpad du test long paris ${EG1}`,
    });
    expect(await structure(EJ)).toMatchObject({ kind: 'EJ', ejFiness: null, siren: '123456782', legalStatusCode: '60' });
  });

  it('maps overseas and Corsican codes to INSEE codes (FINESS.md §3)', async () => {
    expect(await structure('970112058')).toMatchObject({ inseeCode: '97103', departmentCode: '971' });
    expect(await structure('2A0001457')).toMatchObject({ inseeCode: '2A004', departmentCode: '2A' });
  });

  it('reads RFC 4180 quoted fields with doubled quotes', async () => {
    expect(await structure('330052887')).toMatchObject({ name: 'RESIDENCE "LES GLYCINES"', longName: 'EHPAD "LES GLYCINES"' });
    expect(await structure('330052747')).toMatchObject({ longName: 'SAS "RESIDENCES DU BASSIN"', city: 'BORDEAUX' });
  });

  it('decodes a Windows-1252 (ISO-8859-1 era) extract', async () => {
    const text = [header, ejLine(EJ, 'ŒUVRE SOCIALE DES ÉLÈVES')].join('\n') + '\n';
    const file = write('latin.csv', iconv.encode(text, 'win1252'));
    const report = await importFinessFile(t.db, file);
    expect(report).toMatchObject({ inserted: 1, invalid: 0 });
    expect((await structure(EJ))?.name).toBe('ŒUVRE SOCIALE DES ÉLÈVES');
  });

  it('reads a gzipped extract too', async () => {
    const file = write('ej.csv.gz', zlib.gzipSync([header, ejLine(EJ)].join('\n')));
    expect(await importFinessFile(t.db, file)).toMatchObject({ format: 'etalab-csv', inserted: 1 });
  });
});

describe('idempotence and history', () => {
  it('re-importing the shipped files changes nothing: same counts, no update, no history', async () => {
    const before = await t.db.selectFrom('structure').select(['finess', 'updatedAt']).orderBy('finess').execute();
    const historyBefore = await t.db.selectFrom('structureHistory').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const file of demoFinessFiles) {
      const first = await importFinessFile(t.db, file);
      const second = await importFinessFile(t.db, file);
      expect(second).toEqual(first);
      expect(first).toMatchObject({ inserted: 0, updated: 0, invalid: 0, unchanged: first.read });
    }
    expect(await t.db.selectFrom('structure').select(['finess', 'updatedAt']).orderBy('finess').execute()).toEqual(before);
    const historyAfter = await t.db.selectFrom('structureHistory').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(historyAfter.n).toBe(historyBefore.n);
  });

  it('a changed value updates the row and keeps one history row per changed field', async () => {
    await importFinessFile(t.db, write('v1.csv', [header, ejLine(EJ)].join('\n')));
    const v1 = await structure(EJ);
    const report = await importFinessFile(
      t.db,
      write('v2.csv', ['finess;etalab;112;2026-06-01', ejLine(EJ, 'ASSOCIATION RENOMMEE', '0199999999')].join('\n')),
    );
    expect(report).toMatchObject({ read: 1, inserted: 0, updated: 1, unchanged: 0 });
    const v2 = await structure(EJ);
    expect(v2).toMatchObject({ name: 'ASSOCIATION RENOMMEE', phone: '0199999999', source: 'finess-etalab:2026-06-01#112' });
    expect(v2!.updatedAt.getTime()).toBeGreaterThanOrEqual(v1!.updatedAt.getTime());
    expect(v2!.searchText).toContain('renommee');
    expect(await historyOf(EJ)).toEqual([
      { field: 'long_name', oldValue: 'ASSOCIATION DU TEST FICTIF DE PARIS', newValue: 'ASSOCIATION RENOMMEE DE PARIS', source: 'finess-etalab:2026-06-01#112' },
      { field: 'name', oldValue: 'ASSOCIATION DU TEST FICTIF', newValue: 'ASSOCIATION RENOMMEE', source: 'finess-etalab:2026-06-01#112' },
      { field: 'phone', oldValue: '0100000000', newValue: '0199999999', source: 'finess-etalab:2026-06-01#112' },
    ]);
  });

  it('a field the format does not carry is left as it is (cs1100507 has no closing date)', async () => {
    // 010008035 is closed in the JSON sample; an etalab EG row for it must not reopen it.
    const line = egLine('010008035', '010007987', 'IME LES JONQUILLES', { dept: '01', commune: '283' });
    const report = await importFinessFile(t.db, write('eg.csv', [header, line].join('\n')));
    expect(report.updated).toBe(1);
    expect((await structure('010008035'))?.closedOn).toBe('2024-12-31');
  });
});

describe('invalid lines', () => {
  const badFile = () =>
    write(
      'bad.csv',
      [
        header,
        egLine(EG1, EJ),
        egLine(finess('75090004').slice(0, 8) + ((Number(luhnKey('75090004')) + 1) % 10), EJ), // wrong key
        egLine(EG2, EJ, 'X', { opened: '2001-02-30' }), // impossible date
        egLine('2B0001234', EJ, ''), // Corsican number without key is fine, but the name is missing
      ].join('\n'),
    );

  it('without skipInvalid: reports file, line and reason, and imports nothing', async () => {
    const report = await importFinessFile(t.db, badFile());
    expect(report).toMatchObject({ read: 4, invalid: 3, inserted: 0, updated: 0, unchanged: 0, applied: false });
    expect(report.errors.map((e) => [e.file, e.line])).toEqual([
      ['bad.csv', 3],
      ['bad.csv', 4],
      ['bad.csv', 5],
    ]);
    expect(report.errors[0]!.reason).toMatch(/clé/);
    expect(report.errors[1]!.reason).toMatch(/dateouv/);
    expect(report.errors[2]!.reason).toMatch(/rs/);
    expect(await structure(EG1)).toBeUndefined();
  });

  it('with skipInvalid: imports the valid lines and still reports the bad ones', async () => {
    const report = await importFinessFile(t.db, badFile(), { skipInvalid: true });
    expect(report).toMatchObject({ read: 4, invalid: 3, inserted: 1, applied: true });
    expect(report.errors).toHaveLength(3);
    expect(await structure(EG1)).toBeDefined();
  });

  it('rejects a file that is neither an etalab extract nor a JSON flow', async () => {
    await expect(importFinessFile(t.db, write('other.csv', 'a;b;c\n'))).rejects.toBeInstanceOf(UnknownFormatError);
  });
});

describe('JSON flow', () => {
  const flow = (pmej: unknown[]) => JSON.stringify({ schemaVersion: 'v1.0.0', generatedAt: '2026-11-20T04:00:00Z', gcc: [], gco: [], pmej });
  const entity = {
    informationsGeneralesPMEJ: { numFinessPm: EJ, denominationPm: ' ASSOCIATION   JSON  ', siren: '123456782', statutJuridique: '60', dateCreation: '1990-01-01' },
    adresse: [{ numeroVoie: '5', typeVoie: 'R   ', libelleVoie: 'DU FLUX ', cogCommune: '75056', codePostal: '75015', ligneAcheminement: 'PARIS' }],
    contact: [{ typeContact: { roleContact: '01' }, telecom: { telephone: '0100000002' } }],
    ege: [
      {
        // Key case differs between schema versions.
        INFORMATIONSGENERALESEGE: { NumFinessEge: EG1, nomEgeCourt: 'SSIAD JSON', dateOuverture: '2000-01-01', dateFermeture: '2025-01-31' },
        categorieEntiteGeographiqueExercice: '354',
        adresse: [{ cogCommune: '97411', codePostal: '97400', ligneAcheminement: 'ST DENIS CEDEX' }],
        dateDerniereMaj: '2025-02-01 00:00:00',
      },
    ],
    dateDerniereMaj: '2024-01-01 00:00:00',
  };

  it('imports gzip JSON: EJ with nested EG, trimmed strings, case-insensitive keys, closing dates', async () => {
    const file = write('flow.json.gz', zlib.gzipSync(flow([entity])));
    const report = await importFinessFile(t.db, file);
    expect(report).toMatchObject({ format: 'json-flow', read: 2, inserted: 2, invalid: 0, source: 'finess-json:2026-11-20T04:00:00Z#v1.0.0' });
    expect(await structure(EJ)).toMatchObject({ kind: 'EJ', name: 'ASSOCIATION JSON', addressLine: '5 RUE DU FLUX', inseeCode: '75056', phone: '0100000002', finessUpdatedOn: '2024-01-01' });
    expect(await structure(EG1)).toMatchObject({
      kind: 'EG',
      ejFiness: EJ,
      categoryCode: '354',
      closedOn: '2025-01-31',
      inseeCode: '97411',
      departmentCode: '974',
      city: 'ST DENIS',
    });
    expect(await importFinessFile(t.db, file)).toMatchObject({ read: 2, inserted: 0, updated: 0, unchanged: 2 });
  });

  it('plain JSON works too, and an invalid EG is reported by its path', async () => {
    const bad = structuredClone(entity);
    bad.ege[0]!.INFORMATIONSGENERALESEGE.NumFinessEge = '75090000X';
    const report = await importFinessFile(t.db, write('flow.json', flow([bad])));
    expect(report).toMatchObject({ read: 2, invalid: 1, applied: false });
    expect(report.errors[0]).toMatchObject({ file: 'flow.json', path: 'pmej[0].ege[0]' });
    expect(await structure(EJ)).toBeUndefined();
  });

  it('the shipped sample holds the demo EJ 010007987 with its EG', async () => {
    const rows = await t.db.selectFrom('structure').select(['finess', 'kind']).where('ejFiness', '=', '010007987').orderBy('finess').execute();
    expect(rows.map((r) => r.finess)).toEqual(['010008019', '010008027', '010008035']);
  });
});
