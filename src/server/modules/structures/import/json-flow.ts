import { pipeline, type Readable } from 'node:stream';
import { parser } from 'stream-json';
import { pick } from 'stream-json/filters/pick.js';
import { streamValues } from 'stream-json/streamers/stream-values.js';
import {
  addressOf,
  clean,
  cityOf,
  dateOf,
  departmentFromInsee,
  finessOf,
  type ParsedItem,
  RecordError,
  required,
  type StructureRecord,
} from './record.ts';

export type JsonFlowItem = ParsedItem | { edition: string };

type Json = Record<string, unknown>;

/** Key case varies between schema versions (FINESS.md §5): look keys up case-insensitively. */
function get(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  const o = obj as Json;
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
/** A code may come bare ("365") or as an object ({code, libelle}) depending on the version. */
const codeOf = (value: unknown) => clean(typeof value === 'object' && value !== null ? get(value, 'code') : value);

const editionKeys = new Set(['schemaversion', 'generatedat']);

/**
 * Streams the JSON flow one `pmej[]` entry at a time (each EJ with its nested EG), so memory
 * stays flat on the full national file; only `schemaVersion`/`generatedAt` are kept besides.
 */
export async function* readJsonFlow(input: Readable): AsyncGenerator<JsonFlowItem> {
  const values = pipeline(
    input,
    parser.asStream(),
    pick.asStream({
      filter: (stack) =>
        (stack.length === 1 && editionKeys.has(String(stack[0]).toLowerCase())) ||
        (stack.length === 2 && String(stack[0]).toLowerCase() === 'pmej' && typeof stack[1] === 'number'),
    }),
    streamValues.asStream(),
    // Errors reach the consumer through the iteration below.
    () => {},
  );
  const edition: Record<string, string> = {};
  let editionSent = false;
  let index = -1;
  for await (const { value } of values as AsyncIterable<{ value: unknown }>) {
    if (typeof value !== 'object' || value === null) {
      // A top-level edition field (they precede pmej[] in the published files); the picked
      // values carry no key, but only generatedAt is a timestamp.
      const v = String(value).trim();
      if (/^\d{4}-\d{2}-\d{2}/.test(v)) edition.generatedAt = v;
      else edition.schemaVersion = v;
      continue;
    }
    if (!editionSent) {
      editionSent = true;
      yield { edition: `finess-json:${edition.generatedAt ?? 'unknown'}#${edition.schemaVersion ?? ''}` };
    }
    index++;
    yield* entity(value, index);
  }
}

function* entity(pmej: unknown, index: number): Generator<ParsedItem> {
  const path = `pmej[${index}]`;
  let ejFiness: string | undefined;
  try {
    const ej = legalEntity(pmej);
    ejFiness = ej.finess;
    yield { ok: true, record: ej, at: { path } };
  } catch (err) {
    if (!(err instanceof RecordError)) throw err;
    yield { ok: false, reason: err.message, at: { path } };
  }
  for (const [i, ege] of list(get(pmej, 'ege')).entries()) {
    const at = { path: `${path}.ege[${i}]` };
    try {
      if (!ejFiness) throw new RecordError('entité juridique parente invalide');
      yield { ok: true, record: establishment(ege, ejFiness), at };
    } catch (err) {
      if (!(err instanceof RecordError)) throw err;
      yield { ok: false, reason: err.message, at };
    }
  }
}

function address(node: unknown) {
  const a = list(get(node, 'adresse'))[0];
  const insee = clean(get(a, 'cogCommune'));
  if (insee !== null && !/^(\d{2}|2A|2B)\d{3}$/i.test(insee)) throw new RecordError(`cogCommune « ${insee} » invalide`);
  return {
    addressLine: addressOf({
      number: get(a, 'numeroVoie'),
      suffix: get(a, 'complementNumeroVoie'),
      streetType: get(a, 'typeVoie'),
      street: get(a, 'libelleVoie'),
      locality: get(a, 'lieuDit'),
    }),
    postalCode: clean(get(a, 'codePostal')),
    city: cityOf(clean(get(a, 'ligneAcheminement'))),
    inseeCode: insee?.toUpperCase() ?? null,
    departmentCode: departmentFromInsee(insee?.toUpperCase() ?? null),
  };
}

function phone(node: unknown): string | null {
  for (const c of list(get(node, 'contact'))) {
    const tel = clean(get(get(c, 'telecom'), 'telephone'));
    if (tel) return tel;
  }
  return null;
}

function legalEntity(pmej: unknown): StructureRecord {
  const info = get(pmej, 'informationsGeneralesPMEJ');
  if (typeof info !== 'object' || info === null) throw new RecordError('informationsGeneralesPMEJ absent');
  return {
    finess: finessOf(get(info, 'numFinessPm'), 'numFinessPm'),
    kind: 'EJ',
    ejFiness: null,
    name: required(get(info, 'denominationPm'), 'denominationPm'),
    longName: clean(get(info, 'denominationLonguePmSmsse')),
    categoryCode: undefined,
    categoryLabel: undefined,
    legalStatusCode: codeOf(get(info, 'statutJuridique')),
    legalStatusLabel: undefined,
    siret: undefined,
    siren: clean(get(info, 'siren')),
    ...address(pmej),
    phone: phone(pmej),
    openedOn: dateOf(get(info, 'dateCreation'), 'dateCreation'),
    closedOn: dateOf(get(info, 'dateFermeture'), 'dateFermeture'),
    finessUpdatedOn: dateOf(get(pmej, 'dateDerniereMaj'), 'dateDerniereMaj'),
  };
}

function establishment(ege: unknown, ejFiness: string): StructureRecord {
  const info = get(ege, 'informationsGeneralesEGE');
  if (typeof info !== 'object' || info === null) throw new RecordError('informationsGeneralesEGE absent');
  return {
    finess: finessOf(get(info, 'numFinessEge'), 'numFinessEge'),
    kind: 'EG',
    ejFiness,
    name: required(get(info, 'nomEgeCourt'), 'nomEgeCourt'),
    longName: clean(get(info, 'nomEgeLong')),
    categoryCode: codeOf(get(ege, 'categorieentiteGeographiqueExercice')),
    categoryLabel: undefined,
    legalStatusCode: undefined,
    legalStatusLabel: undefined,
    siret: clean(get(info, 'siret')),
    siren: undefined,
    ...address(ege),
    phone: phone(ege),
    openedOn: dateOf(get(info, 'dateOuverture'), 'dateOuverture'),
    closedOn: dateOf(get(info, 'dateFermeture'), 'dateFermeture'),
    finessUpdatedOn: dateOf(get(ege, 'dateDerniereMaj'), 'dateDerniereMaj'),
  };
}
