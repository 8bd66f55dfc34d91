import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { type ColumnKey, columns, HeaderError, mapHeaders, type RawRow } from './columns.ts';
import type { ParsedFile } from './csv.ts';
import { BulkFileUnreadableError, BulkTooManyRowsError } from './errors.ts';
import { spreadsheetText } from '../../../shared/spreadsheet.ts';

const dateColumns: readonly ColumnKey[] = ['birthDate', 'startDate'];
/**
 * Codes Excel turns into numbers when typed without a text format: their leading zeros are put
 * back (FINESS 010007987, INSEE commune 01053, mobile 06…).
 */
const widths: Partial<Record<ColumnKey, number>> = { egFiness: 9, birthCommuneCode: 5, birthCountryCode: 5, mobile: 10 };
const excelEpoch = Date.UTC(1899, 11, 30);

/** A cell as the text the CSV would have carried: the same row pipeline follows. */
export function cellText(value: ExcelJS.CellValue, key: ColumnKey | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'number') {
    if (key && dateColumns.includes(key) && value > 0 && value < 2_958_466) return new Date(excelEpoch + Math.round(value) * 86_400_000).toISOString().slice(0, 10);
    const text = Number.isInteger(value) ? value.toFixed(0) : String(value);
    const width = key ? widths[key] : undefined;
    return width && /^\d+$/.test(text) && text.length < width ? text.padStart(width, '0') : text;
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'VRAI' : 'FAUX';
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue, key);
  if ('text' in value) return String(value.text);
  return ''; // an error cell (#N/A…)
}

/**
 * Reads the first sheet of an XLSX workbook with the streaming reader: rows come one at a time
 * and reading stops at the row limit. The first non-empty row holds the template's French headers.
 */
export async function readBulkXlsx(file: string, limits: { maxRows: number }, onRow?: (count: number) => void): Promise<ParsedFile> {
  const stream = fs.createReadStream(file);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(stream, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  // exceljs 4.4.0 (its issue 3064) reads a worksheet stored after the shared strings but before
  // xl/workbook.xml (OOXML leaves the order free; exceljs itself stores the workbook part last)
  // before the workbook's model exists, and throws on `model.sheets`: a valid file refused as
  // damaged, depending on the parts' order and, in a stream, on timing. The model only names the
  // sheets, which the import does not read; xl/workbook.xml replaces this empty one when it comes.
  (reader as unknown as { model?: { sheets: unknown[] } }).model ??= { sheets: [] };
  const rows: ParsedFile['rows'] = [];
  let headers: Map<number, ColumnKey> | undefined;
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        const values = (row.values ?? []) as ExcelJS.CellValue[];
        if (!headers) {
          const texts = values.map((v) => cellText(v, undefined).trim());
          if (texts.every((t) => t === '')) continue;
          // row.values is 1-based: column A is index 1, as in the header map below.
          headers = mapHeaders(Array.from({ length: texts.length }, (_, i) => texts[i] ?? ''));
          continue;
        }
        const raw: RawRow = {};
        for (const [i, key] of headers) raw[key] = cellText(values[i], key);
        if (Object.values(raw).every((v) => (v ?? '').trim() === '')) continue;
        if (rows.length >= limits.maxRows) throw new BulkTooManyRowsError(limits.maxRows);
        rows.push({ rowNumber: row.number, raw });
        onRow?.(rows.length);
      }
      break; // the first sheet only
    }
  } catch (err) {
    if (err instanceof HeaderError) throw new BulkFileUnreadableError(`Première feuille du classeur : ${err.message}`);
    if (err instanceof BulkTooManyRowsError) throw err;
    throw new BulkFileUnreadableError('Le classeur Excel (.xlsx) est illisible ou endommagé : enregistrez-le de nouveau depuis votre tableur, ou partez du modèle.');
  } finally {
    stream.destroy();
  }
  if (sheets === 0) throw new BulkFileUnreadableError('Le fichier n’est pas un classeur Excel (.xlsx) : aucune feuille trouvée. Partez du modèle de fichier.');
  if (!headers) throw new BulkFileUnreadableError('La première feuille du classeur est vide : partez du modèle de fichier.');
  return { format: 'xlsx', encoding: null, delimiter: null, rows };
}

/** The downloadable XLSX template: French headers, one example row, every column as text (leading zeros kept). */
export async function templateXlsx(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Professionnels');
  sheet.columns = columns.map((c) => ({ header: spreadsheetText(c.header), key: c.key, width: Math.max(14, c.header.length + 2), style: { numFmt: '@' } }));
  sheet.getRow(1).font = { bold: true };
  sheet.addRow(Object.fromEntries(columns.map((c) => [c.key, spreadsheetText(c.example)])));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
