import type { StructureTable } from '../../../db/schema.ts';
import { checkFiness } from '../../../identifiers.ts';

/**
 * One structure as read from a FINESS file, before it meets the database. A field a format does
 * not carry is `undefined` (the legacy EG extract has no closing date, the JSON flow has no
 * category label): the import leaves such a field as it is instead of erasing it.
 */
export type StructureFields = Omit<StructureTable, 'finess' | 'kind' | 'searchText' | 'source' | 'createdAt' | 'updatedAt'>;
export type StructureRecord = { finess: string; kind: 'EJ' | 'EG' } & { [K in keyof StructureFields]: StructureFields[K] | undefined };

/** Where a record sits in its file: a line for the CSV extracts, a path for the JSON flow. */
export interface RecordLocation {
  line?: number;
  path?: string;
}

export type ParsedItem =
  | { ok: true; record: StructureRecord; at: RecordLocation }
  | { ok: false; reason: string; at: RecordLocation };

/** Thrown by the field helpers below; the parser turns it into an invalid-line report. */
export class RecordError extends Error {
  override name = 'RecordError';
}

/** Trims and collapses spaces (FINESS pads many fields); empty means absent. */
export function clean(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const s = String(value).replace(/\s+/g, ' ').trim();
  return s === '' ? null : s;
}

export function required(value: unknown, field: string): string {
  const s = clean(value);
  if (s === null) throw new RecordError(`champ obligatoire absent : ${field}`);
  return s;
}

export function finessOf(value: unknown, field: string): string {
  const s = required(value, field);
  const check = checkFiness(s);
  if (!check.valid) throw new RecordError(`${field} « ${s} » invalide : ${check.message}`);
  return check.finess;
}

/**
 * A FINESS date: 'YYYY-MM-DD' (the JSON flow adds a time: '2021-10-18 00:00:00').
 * 1900-01-01 is FINESS's "unknown" and is stored as absent.
 */
export function dateOf(value: unknown, field: string): string | null {
  const s = clean(value);
  if (s === null) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+Z?)?$/.exec(s);
  const day = m ? `${m[1]}-${m[2]}-${m[3]}` : '';
  const parsed = m ? new Date(`${day}T00:00:00Z`) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) {
    throw new RecordError(`${field} « ${s} » n'est pas une date AAAA-MM-JJ valide`);
  }
  return day === '1900-01-01' ? null : day;
}

const overseasDepartments: Record<string, string> = {
  '9A': '971',
  '9B': '972',
  '9C': '973',
  '9D': '974',
  '9E': '975',
  '9F': '976',
  '9J': '986',
};

/** FINESS `departement` code: 01–95, 2A, 2B, and 9A–9J for overseas (FINESS.md §3). */
export function departmentOf(value: unknown): string {
  const s = required(value, 'departement').toUpperCase();
  if (!/^(0[1-9]|[1-8]\d|9[0-5]|2A|2B)$/.test(s) && !(s in overseasDepartments)) {
    throw new RecordError(`departement « ${s} » inconnu`);
  }
  return s;
}

/**
 * INSEE COG code from the FINESS department and the 3-digit commune: departement + commune,
 * except overseas where the letter code is replaced by 97 (98 for Wallis-et-Futuna, 9J).
 */
export function inseeOf(department: string, commune: unknown): string | null {
  const c = clean(commune);
  if (c === null) return null;
  if (!/^\d{3}$/.test(c)) throw new RecordError(`commune « ${c} » : 3 chiffres attendus`);
  if (department in overseasDepartments) return (department === '9J' ? '98' : '97') + c;
  return department + c;
}

/** The INSEE department (69, 2A, 971) — one code for both formats, the one users know. */
export function inseeDepartment(department: string): string {
  return overseasDepartments[department] ?? department;
}

export function departmentFromInsee(insee: string | null): string | null {
  if (insee === null) return null;
  return /^9[78]/.test(insee) ? insee.slice(0, 3) : insee.slice(0, 2);
}

const streetTypes: Record<string, string> = {
  ALL: 'ALLEE',
  AV: 'AVENUE',
  BD: 'BOULEVARD',
  CHE: 'CHEMIN',
  CRS: 'COURS',
  ESP: 'ESPLANADE',
  FG: 'FAUBOURG',
  HAM: 'HAMEAU',
  IMP: 'IMPASSE',
  LOT: 'LOTISSEMENT',
  PL: 'PLACE',
  PROM: 'PROMENADE',
  QU: 'QUAI',
  QUA: 'QUARTIER',
  R: 'RUE',
  RES: 'RESIDENCE',
  RTE: 'ROUTE',
  SQ: 'SQUARE',
};
const numberSuffixes: Record<string, string> = { B: 'BIS', T: 'TER', Q: 'QUATER', C: 'QUINQUIES' };

/** "12 B R DES CERISIERS" → "12 BIS RUE DES CERISIERS, <lieu-dit/BP>". */
export function addressOf(parts: {
  number?: unknown;
  suffix?: unknown;
  streetType?: unknown;
  street?: unknown;
  locality?: unknown;
}): string | null {
  const type = clean(parts.streetType);
  const suffix = clean(parts.suffix);
  const street = [
    clean(parts.number),
    suffix ? (numberSuffixes[suffix.toUpperCase()] ?? suffix) : null,
    type ? (streetTypes[type.toUpperCase()] ?? type) : null,
    clean(parts.street),
  ]
    .filter(Boolean)
    .join(' ');
  return [street || null, clean(parts.locality)].filter(Boolean).join(', ') || null;
}

/** The city of a `ligneacheminement`, without its CEDEX mention. */
export function cityOf(line: string | null): string | null {
  if (line === null) return null;
  return line.replace(/\s+CEDEX(\s+\d+)?$/i, '').trim() || null;
}

/** `69100 VILLEURBANNE CEDEX` → postal code and city. */
export function splitDeliveryLine(value: unknown): { postalCode: string | null; city: string | null } {
  const s = clean(value);
  if (s === null) return { postalCode: null, city: null };
  const m = /^(\d{5})\s+(.*)$/.exec(s);
  return m ? { postalCode: m[1]!, city: cityOf(m[2]!) } : { postalCode: null, city: cityOf(s) };
}
