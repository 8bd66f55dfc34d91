import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { letters } from '../register/testing.ts';
import { columns, type ColumnKey } from './columns.ts';

/** Test and benchmark helpers: generated import files (not a test file). */
export type Row = Partial<Record<ColumnKey, string>>;

/** A valid row for person `n` (distinct names, birth dates and contacts). */
export function validRow(n: number, eg = '690800206', over: Row = {}): Row {
  const birth = new Date(Date.UTC(1960, 0, 1) + (n % 8000) * 86_400_000 * 2).toISOString().slice(0, 10);
  return {
    civilite: n % 2 ? 'M' : 'MME',
    sexe: n % 2 ? 'M' : 'F',
    birthName: `Import${letters(n)}`,
    usageName: '',
    firstNames: `Prenom${letters(n)}, Second`,
    birthDate: birth,
    birthCountryCode: '99100',
    birthCommuneCode: '69123',
    birthPlace: '',
    email: `import${n}@exemple.fr`,
    mobile: `066${String(n).padStart(7, '0')}`,
    egFiness: eg,
    professionCode: '313',
    roleCode: 'GENR11',
    modeCode: 'S',
    exerciseLastName: '',
    exerciseFirstName: '',
    startDate: '2026-11-02',
    ...over,
  };
}

export function toCsv(rows: Row[], options: { delimiter?: ';' | ','; encoding?: 'utf8' | 'win1252' } = {}): Buffer {
  const d = options.delimiter ?? ';';
  // Input as a person types it: quoted when needed, never neutralised like an export.
  const field = (v: string) => (/[";,\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = [columns.map((c) => field(c.header)).join(d), ...rows.map((r) => columns.map((c) => field(r[c.key] ?? '')).join(d))];
  const text = `${lines.join('\r\n')}\r\n`;
  return options.encoding === 'win1252' ? iconv.encode(text, 'win1252') : Buffer.from(text, 'utf8');
}

/**
 * The same rows as an XLSX workbook (first sheet). `typed`: cells as a spreadsheet user leaves
 * them — dates as Excel dates, codes and phones as numbers (their leading zeros lost).
 */
export async function toXlsx(rows: Row[], options: { typed?: boolean } = {}): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Personnel');
  sheet.addRow(columns.map((c) => c.header));
  const typedCell = (key: ColumnKey, v: string): ExcelJS.CellValue => {
    if (!options.typed || v === '') return v;
    const date = (key === 'birthDate' || key === 'startDate') && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : undefined;
    // An impossible date (30 February) cannot be an Excel date: it stays text, as in a spreadsheet.
    if (date) return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(v) ? date : v;
    if (['egFiness', 'birthCommuneCode', 'birthCountryCode', 'mobile'].includes(key) && /^\d+$/.test(v)) return Number(v);
    return v;
  };
  for (const r of rows) sheet.addRow(columns.map((c) => typedCell(c.key, r[c.key] ?? '')));
  if (options.typed) for (const i of [6, 18]) sheet.getColumn(i).numFmt = 'dd/mm/yyyy';
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
