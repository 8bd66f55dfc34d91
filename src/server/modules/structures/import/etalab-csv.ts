import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import {
  addressOf,
  clean,
  dateOf,
  departmentOf,
  finessOf,
  inseeDepartment,
  inseeOf,
  type ParsedItem,
  RecordError,
  required,
  splitDeliveryLine,
  type StructureRecord,
} from './record.ts';

export type EtalabItem = ParsedItem | { edition: string };

/**
 * Reads a legacy etalab extract (cs1100507 EG + geolocation, cs1100501 EJ) record by record.
 * Fields are positional (FINESS.md §3). Geolocation rows are skipped: the structure table
 * keeps no coordinates.
 */
export async function* readEtalabCsv(input: Readable, encoding: 'utf8' | 'win1252'): AsyncGenerator<EtalabItem> {
  const rows = input.pipe(iconv.decodeStream(encoding)).pipe(
    parse({
      delimiter: ';',
      bom: true,
      info: true,
      // Field counts differ by row type, and a stray quote inside an unquoted field must not
      // abort a 100k-line file: each row is validated below instead.
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
    }),
  );
  for await (const { record, info } of rows as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    const line = info.lines;
    const tag = (record[0] ?? '').trim().toLowerCase();
    if (tag === 'finess' && (record[1] ?? '').trim().toLowerCase() === 'etalab') {
      yield { edition: `finess-etalab:${clean(record[3]) ?? 'unknown'}#${clean(record[2]) ?? ''}` };
      continue;
    }
    if (tag === 'geolocalisation') continue;
    try {
      if (tag === 'structureet') yield { ok: true, record: establishment(record), at: { line } };
      else if (tag === 'structureej') yield { ok: true, record: legalEntity(record), at: { line } };
      else throw new RecordError(`type de ligne inconnu « ${clean(record[0]) ?? ''} »`);
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      yield { ok: false, reason: err.message, at: { line } };
    }
  }
}

function expectFields(f: string[], count: number, tag: string) {
  // The trailing ';' of a row makes one more, empty, field.
  const extra = f.slice(count).some((v) => v.trim() !== '');
  if (f.length < count - 1 || extra) throw new RecordError(`${tag} : ${count} champs attendus, ${f.length} lus`);
}

/** `structureet`, 32 fields. */
function establishment(f: string[]): StructureRecord {
  expectFields(f, 32, 'structureet');
  const department = departmentOf(f[13]);
  const insee = inseeOf(department, f[12]);
  const { postalCode, city } = splitDeliveryLine(f[15]);
  return {
    finess: finessOf(f[1], 'nofinesset'),
    kind: 'EG',
    ejFiness: finessOf(f[2], 'nofinessej'),
    name: required(f[3], 'rs'),
    longName: clean(f[4]),
    categoryCode: clean(f[18]),
    categoryLabel: clean(f[19]),
    legalStatusCode: undefined,
    legalStatusLabel: undefined,
    siret: clean(f[22]),
    siren: undefined,
    addressLine: addressOf({ number: f[7], suffix: f[10], streetType: f[8], street: f[9], locality: f[11] }),
    postalCode,
    city,
    inseeCode: insee,
    departmentCode: inseeDepartment(department),
    phone: clean(f[16]),
    openedOn: dateOf(f[28], 'dateouv'),
    closedOn: undefined,
    finessUpdatedOn: dateOf(f[30], 'datemaj'),
  };
}

/** `structureej`, 23 fields in their own order. */
function legalEntity(f: string[]): StructureRecord {
  expectFields(f, 23, 'structureej');
  const department = departmentOf(f[13]);
  const insee = inseeOf(department, f[11]);
  const { postalCode, city } = splitDeliveryLine(f[12]);
  return {
    finess: finessOf(f[1], 'nofiness'),
    kind: 'EJ',
    ejFiness: null,
    name: required(f[2], 'rs'),
    longName: clean(f[3]),
    categoryCode: clean(f[18]),
    categoryLabel: clean(f[19]),
    legalStatusCode: clean(f[16]),
    legalStatusLabel: clean(f[17]),
    siret: undefined,
    siren: clean(f[20]),
    addressLine: addressOf({ number: f[5], suffix: f[8], streetType: f[6], street: f[7], locality: f[10] }),
    postalCode,
    city,
    inseeCode: insee,
    departmentCode: inseeDepartment(department),
    phone: clean(f[15]),
    openedOn: dateOf(f[22], 'datecrea'),
    closedOn: undefined,
    finessUpdatedOn: undefined,
  };
}
