import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectEncoding, openContent } from '../structures/import/source.ts';
import { type ColumnKey, HeaderError, mapHeaders, type RawRow } from './columns.ts';
import { isZip } from '../../files/sniff.ts';
import { BulkFileTooLargeError, BulkFileUnreadableError, BulkTooManyRowsError } from './errors.ts';
import { readBulkXlsx } from './xlsx.ts';

export interface ParsedFile {
  format: 'csv' | 'xlsx';
  /** CSV only (null for XLSX). */
  encoding: 'utf8' | 'win1252' | null;
  delimiter: ';' | ',' | null;
  /** Data rows, numbered as the spreadsheet shows them: the header is line 1. */
  rows: Array<{ rowNumber: number; raw: RawRow }>;
}

/** `;` (French spreadsheets) or `,`: whichever appears more in the header line, outside quotes. */
async function detectDelimiter(file: string): Promise<';' | ','> {
  const stream = fs.createReadStream(file, { start: 0, end: 64 * 1024 });
  let head = '';
  for await (const chunk of stream) head += (chunk as Buffer).toString('latin1');
  const first = (head.split(/\r?\n/)[0] ?? '').replace(/"[^"]*"/g, '');
  const count = (c: string) => first.split(c).length - 1;
  return count(',') > count(';') ? ',' : ';';
}

/**
 * Reads a bulk-import file, CSV or XLSX as its first bytes say (a ZIP container is read as an
 * XLSX workbook, anything else as CSV), into the same rows. The size limit comes first; a name
 * ending in .xlsx whose content is no ZIP (a CSV renamed) is refused rather than guessed.
 */
export async function readBulkFile(file: string, limits: { maxBytes: number; maxRows: number }, options: { fileName?: string; onRow?: (count: number) => void } = {}): Promise<ParsedFile> {
  const size = (await fs.promises.stat(file)).size;
  if (size > limits.maxBytes) throw new BulkFileTooLargeError(limits.maxBytes);
  const head = Buffer.alloc(4);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 4, 0);
  } finally {
    await fd.close();
  }
  if (isZip(head)) return readBulkXlsx(file, limits, options.onRow);
  if (/\.xls[xm]?$/i.test(options.fileName ?? '')) {
    throw new BulkFileUnreadableError('Le fichier porte l’extension d’un classeur Excel mais n’en est pas un (un CSV renommé ?) : enregistrez-le au format .xlsx depuis votre tableur, ou nommez-le .csv.');
  }
  return readBulkCsv(file, limits, options.onRow);
}

const csvProblems: Record<string, string> = {
  INVALID_OPENING_QUOTE: 'un guillemet (") est placé au milieu d’une valeur',
  CSV_INVALID_CLOSING_QUOTE: 'un guillemet (") ferme une valeur sans séparateur après lui',
  CSV_QUOTE_NOT_CLOSED: 'un guillemet (") ouvre une valeur qui n’est jamais refermée',
};

/** A French description of a CSV syntax error: its line, never the field's content. */
function csvErrorDetail(err: CsvError): string {
  const line = typeof err.lines === 'number' ? ` (ligne ${err.lines})` : '';
  const what = csvProblems[err.code] ?? 'sa syntaxe est incorrecte';
  return `Le fichier n’est pas un CSV lisible${line} : ${what}. Entourez de guillemets les valeurs qui en contiennent, en doublant les guillemets intérieurs (""), ou partez du modèle de fichier.`;
}

/**
 * Reads a bulk-import CSV: the file is decoded with the FINESS importer's encoding detection
 * (strict UTF-8, else Windows-1252) and parsed as a stream; reading stops at the row limit, so
 * an oversized file is refused without being parsed to the end.
 */
async function readBulkCsv(file: string, limits: { maxRows: number }, onRow?: (count: number) => void): Promise<ParsedFile> {
  const encoding = await detectEncoding(file, false);
  const delimiter = await detectDelimiter(file);
  const parser = openContent(file, false)
    .pipe(iconv.decodeStream(encoding))
    .pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  const rows: ParsedFile['rows'] = [];
  let headers: Map<number, ColumnKey> | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!headers) {
        headers = mapHeaders(record);
        continue;
      }
      if (record.every((v) => v.trim() === '')) continue;
      if (rows.length >= limits.maxRows) {
        parser.destroy();
        throw new BulkTooManyRowsError(limits.maxRows);
      }
      const raw: RawRow = {};
      for (const [i, key] of headers) raw[key] = record[i] ?? '';
      rows.push({ rowNumber: info.lines, raw });
      onRow?.(rows.length);
    }
  } catch (err) {
    if (err instanceof HeaderError) throw new BulkFileUnreadableError(err.message);
    // The parser's message quotes the raw field (personal data): only its line goes out, and the
    // original error, which holds the field, is dropped (issue 15).
    if (err instanceof CsvError) throw new BulkFileUnreadableError(csvErrorDetail(err));
    throw err;
  }
  if (!headers) throw new BulkFileUnreadableError('Le fichier est vide : partez du modèle de fichier.');
  return { format: 'csv', encoding, delimiter, rows };
}
