import { csvCell } from '../../../shared/spreadsheet.ts';
import type { ContactInput, EtatCivilInput, SituationInput } from '../register/types.ts';

/**
 * The columns of the bulk-import file: the 4 steps of the registration form except the copy of
 * the identity document (DOMAIN.md, "Registering a professional"). Headers are French; a header is
 * recognised whatever its case, accents, spaces or punctuation, and columns may come in any order.
 */
export const columns = [
  { key: 'civilite', header: 'Civilité', example: 'MME', pointer: '/etatCivil/civilite' },
  { key: 'sexe', header: 'Sexe', example: 'F', pointer: '/etatCivil/sexe' },
  { key: 'birthName', header: 'Nom de naissance', example: 'Martin', pointer: '/etatCivil/birthName' },
  { key: 'usageName', header: 'Nom d’usage', example: '', pointer: '/etatCivil/usageName' },
  { key: 'firstNames', header: 'Prénoms', example: 'Camille, Louise', pointer: '/etatCivil/firstNames' },
  { key: 'birthDate', header: 'Date de naissance', example: '1988-03-14', pointer: '/etatCivil/birthDate' },
  { key: 'birthCountryCode', header: 'Pays de naissance', example: '99100', pointer: '/etatCivil/birthCountryCode' },
  { key: 'birthCommuneCode', header: 'Commune de naissance', example: '69123', pointer: '/etatCivil/birthCommuneCode' },
  { key: 'birthPlace', header: 'Lieu de naissance à l’étranger', example: '', pointer: '/etatCivil/birthPlace' },
  { key: 'email', header: 'Adresse électronique', example: 'camille.martin@exemple.fr', pointer: '/contact/email' },
  { key: 'mobile', header: 'Téléphone mobile', example: '06 12 34 56 78', pointer: '/contact/mobile' },
  { key: 'egFiness', header: 'FINESS de l’établissement', example: '690800206', pointer: '/situation/egFiness' },
  { key: 'professionCode', header: 'Profession', example: '313', pointer: '/situation/professionCode' },
  { key: 'roleCode', header: 'Rôle', example: 'GENR11', pointer: '/situation/roleCode' },
  { key: 'modeCode', header: 'Mode d’exercice', example: 'S', pointer: '/situation/modeCode' },
  { key: 'exerciseLastName', header: 'Nom d’exercice', example: '', pointer: '/situation/exerciseLastName' },
  { key: 'exerciseFirstName', header: 'Prénom d’exercice', example: '', pointer: '/situation/exerciseFirstName' },
  { key: 'startDate', header: 'Date de prise de fonction', example: '2026-11-02', pointer: '/situation/startDate' },
] as const;

export type ColumnKey = (typeof columns)[number]['key'];
export type RawRow = Partial<Record<ColumnKey, string>>;
const required: readonly ColumnKey[] = ['civilite', 'sexe', 'birthName', 'firstNames', 'birthDate', 'birthCountryCode', 'email', 'mobile', 'egFiness', 'professionCode', 'roleCode', 'startDate'];

/** "Nom d’usage" → "nomdusage": accents, case, apostrophes and spaces do not matter. */
export const headerKey = (h: string) =>
  h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

const byHeader = new Map<string, ColumnKey>(columns.map((c) => [headerKey(c.header), c.key]));

export class HeaderError extends Error {
  override name = 'HeaderError';
}

/** Column index → key; unknown columns are ignored, missing mandatory ones are an error. */
export function mapHeaders(headers: string[]): Map<number, ColumnKey> {
  const map = new Map<number, ColumnKey>();
  headers.forEach((h, i) => {
    const key = byHeader.get(headerKey(h));
    if (key) map.set(i, key);
  });
  const present = new Set(map.values());
  const missing = required.filter((k) => !present.has(k));
  if (missing.length > 0) {
    const labels = missing.map((k) => `« ${columns.find((c) => c.key === k)!.header} »`).join(', ');
    throw new HeaderError(`Colonnes obligatoires absentes de la première ligne : ${labels}. Partez du modèle de fichier.`);
  }
  return map;
}

/** The downloadable template: French headers and one example row, `;`-separated, UTF-8 with BOM (Excel). */
export function templateCsv(): string {
  const line = (values: readonly string[]) => values.map(csvField).join(';');
  return `\uFEFF${line(columns.map((c) => c.header))}\r\n${line(columns.map((c) => c.example))}\r\n`;
}

/** Every exported cell goes through the shared writer: neutralised against formulas, quoted (issue 15). */
export const csvField = csvCell;

/** "14/03/1988" (French spreadsheets) → "1988-03-14"; anything else is left for the register's rules. */
export function isoDate(raw: string | undefined): string | undefined {
  const v = raw?.trim();
  const fr = v ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v) : null;
  return fr ? `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}` : v;
}

/**
 * A date written like one (JJ/MM/AAAA or AAAA-MM-JJ) that no calendar holds, such as 31/02/1990:
 * its French message, so that the row says what is wrong instead of "format attendu". Null otherwise.
 */
export function impossibleDate(raw: string | undefined): string | null {
  const typed = raw?.trim() ?? '';
  const iso = isoDate(typed);
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  const exists = date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
  return exists ? null : `Date impossible : le ${typed} n’existe pas.`;
}

/** Who a row is about, for its report line: birth name and first first name, as typed. */
export function personOf(row: RawRow): string {
  const first = (row.firstNames ?? '').split(',')[0]?.trim() ?? '';
  return [row.birthName?.trim() ?? '', first].filter((p) => p !== '').join(' ');
}

export interface RowInput {
  etatCivil: EtatCivilInput;
  contact: ContactInput;
  situation: SituationInput;
}

/** A file row as the register's inputs: the register checks every rule, nothing is checked here. */
export function toInput(row: RawRow): RowInput {
  const v = (k: ColumnKey) => row[k]?.trim() || null;
  return {
    etatCivil: {
      civilite: v('civilite'),
      sexe: v('sexe'),
      birthName: v('birthName'),
      usageName: v('usageName'),
      // First names are separated by commas: a space may belong to a first name.
      firstNames: (row.firstNames ?? '').split(',').map((f) => f.trim()).filter((f) => f !== ''),
      birthDate: isoDate(v('birthDate') ?? undefined) ?? null,
      birthCountryCode: v('birthCountryCode'),
      birthCommuneCode: v('birthCommuneCode'),
      birthPlace: v('birthPlace'),
    },
    contact: { email: v('email'), mobile: v('mobile') },
    situation: {
      egFiness: v('egFiness'),
      professionCode: v('professionCode'),
      roleCode: v('roleCode'),
      modeCode: v('modeCode') ?? 'S',
      exerciseLastName: v('exerciseLastName'),
      exerciseFirstName: v('exerciseFirstName'),
      startDate: isoDate(v('startDate') ?? undefined) ?? null,
    },
  };
}

/** The column a register error pointer (`/etatCivil/firstNames/1`) is about. */
export function columnOf(pointer: string): string {
  const column = columns.find((c) => pointer === c.pointer || pointer.startsWith(`${c.pointer}/`));
  return column?.header ?? '';
}
