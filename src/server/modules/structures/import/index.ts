import fs from 'node:fs';
import path from 'node:path';
import { type Clock, systemClock } from '../../../context.ts';
import type { Database } from '../../../db/database.ts';
import { readEtalabCsv } from './etalab-csv.ts';
import { readJsonFlow } from './json-flow.ts';
import type { ParsedItem, RecordLocation, StructureRecord } from './record.ts';
import { detectEncoding, detectFormat, type FinessFormat, openContent } from './source.ts';
import { upsertBatch } from './upsert.ts';

export { UnknownFormatError } from './source.ts';

export interface ImportLineError extends RecordLocation {
  file: string;
  reason: string;
}

export interface ImportReport {
  file: string;
  format: FinessFormat;
  /** The FINESS edition written to `structure.source`, e.g. `finess-etalab:2026-05-12#111`. */
  source: string;
  /** Structure records read (EJ + EG; geolocation rows are not counted). */
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  invalid: number;
  /** False when invalid records made the import roll back (no `skipInvalid`). */
  applied: boolean;
  /** The first invalid records (at most `maxErrors`), with their line or JSON path. */
  errors: ImportLineError[];
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  read: number;
}

export interface ImportOptions {
  /** Import the valid records of a file that has invalid ones (default: import nothing). */
  skipInvalid?: boolean;
  onProgress?: (progress: ImportProgress) => void;
  batchSize?: number;
  maxErrors?: number;
  /** The import's time (structures' created/updated, history's changed_at); default the system clock. */
  clock?: Clock;
}

class Rollback extends Error {}

/**
 * Imports one FINESS file (legacy etalab CSV or JSON flow, plain or gzip — recognised by
 * content) into `structure`, streaming it in batches inside one transaction. Without
 * `skipInvalid`, one invalid record rolls the whole file back: a partial FINESS import would
 * leave EG without their EJ and no way to tell which lines were missed.
 */
export async function importFinessFile(db: Database, filePath: string, options: ImportOptions = {}): Promise<ImportReport> {
  const { skipInvalid = false, onProgress, batchSize = 500, maxErrors = 100, clock = systemClock } = options;
  const at = clock.now();
  const file = path.basename(filePath);
  const totalBytes = fs.statSync(filePath).size;
  const { format, gzip } = await detectFormat(filePath);
  const encoding = format === 'etalab-csv' ? await detectEncoding(filePath, gzip) : 'utf8';

  const report: ImportReport = {
    file,
    format,
    source: `finess:${file}`,
    read: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    invalid: 0,
    applied: false,
    errors: [],
  };
  let input: ReturnType<typeof openContent> | undefined;
  let done = false;
  const progress = () =>
    onProgress?.({ bytesRead: done ? totalBytes : (input?.fileBytesRead() ?? 0), totalBytes, read: report.read });

  try {
    await db.transaction().execute(async (trx) => {
      // Opened inside the transaction, right before the loop consumes it.
      input = openContent(filePath, gzip);
      const items = format === 'etalab-csv' ? readEtalabCsv(input, encoding) : readJsonFlow(input);
      let batch = new Map<string, StructureRecord>();
      const flush = async () => {
        // Once a record is invalid (without skipInvalid) nothing will be kept: stop writing
        // but keep reading, so the report lists every bad line at once.
        if (report.invalid === 0 || skipInvalid) {
          const counts = await upsertBatch(trx, [...batch.values()], report.source, at);
          report.inserted += counts.inserted;
          report.updated += counts.updated;
          report.unchanged += counts.unchanged;
        }
        batch = new Map();
        progress();
      };
      for await (const item of items) {
        if ('edition' in item) {
          report.source = item.edition;
          continue;
        }
        report.read++;
        if (!item.ok) {
          report.invalid++;
          if (report.errors.length < maxErrors) report.errors.push({ file, ...item.at, reason: item.reason });
          continue;
        }
        // The same number twice in one file: the later record wins, as a later edition would.
        if (batch.has(item.record.finess)) await flush();
        batch.set(item.record.finess, item.record);
        if (batch.size >= batchSize) await flush();
      }
      await flush();
      if (report.invalid > 0 && !skipInvalid) throw new Rollback();
    });
    report.applied = true;
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
    report.inserted = report.updated = report.unchanged = 0;
  } finally {
    input?.destroy();
  }
  done = true;
  progress();
  return report;
}

/** "line 12" or "pmej[3].ege[1]": where an error is, for a one-line message. */
export function describeLocation(at: RecordLocation): string {
  return at.line !== undefined ? `ligne ${at.line}` : (at.path ?? '?');
}

export type { ParsedItem };
