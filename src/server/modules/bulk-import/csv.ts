import fs from 'node:fs';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { detectEncoding, openContent } from '../structures/import/source.ts';
import { type ColumnKey, HeaderError, mapHeaders, type RawRow } from './columns.ts';
import { BulkFileTooLargeError, BulkFileUnreadableError, BulkTooManyRowsError } from './errors.ts';

export interface ParsedFile {
  encoding: 'utf8' | 'win1252';
  delimiter: ';' | ',';
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
 * Reads a bulk-import CSV: the file is decoded with the FINESS importer's encoding detection
 * (strict UTF-8, else Windows-1252) and parsed as a stream; reading stops at the row limit, so
 * an oversized file is refused without being parsed to the end.
 */
export async function readBulkCsv(file: string, limits: { maxBytes: number; maxRows: number }, onRow?: (count: number) => void): Promise<ParsedFile> {
  const size = (await fs.promises.stat(file)).size;
  if (size > limits.maxBytes) throw new BulkFileTooLargeError(limits.maxBytes);
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
    if (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('CSV_')) {
      throw new BulkFileUnreadableError(`Le fichier n’est pas un CSV lisible : ${err.message}`);
    }
    throw err;
  }
  if (!headers) throw new BulkFileUnreadableError('Le fichier est vide : partez du modèle de fichier.');
  return { encoding, delimiter, rows };
}
