import type { ColumnType } from 'kysely';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { checkFiness } from '../../identifiers.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import type { Declarations } from '../register/drafts.ts';
import type { Contact, EtatCivil, Situation } from '../register/types.ts';
import type { RowInput } from './columns.ts';
import type { ParsedFile } from './csv.ts';

/** The bulk import's types, tables and shared constants (the use cases are in their own files). */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string | undefined, string>;

/**
 * What a valid row becomes. `register`: a registration (the gestionnaire ticked the form's two
 * declarations for the whole batch); `pending`: a pre-registration request in the gestionnaire's
 * queue, validated face to face later (guide ANS: état civil and contact collected face to face).
 */
export type ImportMode = 'register' | 'pending';

export type RowStatus = 'valid' | 'invalid' | 'pending' | 'imported' | 'failed';

export interface RowError {
  /** The French header of the column, '' when the error is about the whole row. */
  column: string;
  detail: string;
}

export interface RowReport {
  rowNumber: number;
  /** Birth name and first first name as the file gives them ('' when the row has none). */
  person?: string;
  status: RowStatus;
  errors: RowError[];
  rpps?: string | null;
  requestId?: string | null;
}

interface BulkImportTable {
  id: ColumnType<string, string | undefined, never>;
  ejFiness: string;
  actorId: string;
  actorKind: string;
  egScope: string[];
  fileName: string;
  status: 'committing' | 'done';
  mode: ColumnType<ImportMode, ImportMode | undefined, ImportMode>;
  declarations: Json<Declarations | null> | null;
  rowCount: number;
  invalidCount: number;
  startedAt: Timestamp;
  finishedAt: Timestamp | null;
  createdAt: ColumnType<Date, Date | string | undefined, never>;
  updatedAt: Timestamp;
}

/** A valid row's values as the register's rules normalized them. */
export interface CheckedValues {
  etatCivil: EtatCivil;
  contact: Contact;
  situation: Situation;
}

/**
 * What a row to process holds (`bulk_import_row.input`): the file's values (`pending` mode, and
 * rows committed before issue 18), or, in `register` mode, the values the commit's check
 * normalized, marked `checked`: its batch re-checks only what may have changed since the commit
 * (contacts, duplicates, scope, codes and EG of the day), not the rules' pure parts.
 */
export type StoredRow = RowInput & { checked?: true };

interface BulkImportRowTable {
  importId: string;
  rowNumber: number;
  person: string | null;
  status: 'pending' | 'invalid' | 'imported' | 'failed';
  input: Json<StoredRow | null> | null;
  errors: Json<RowError[]>;
  rpps: string | null;
  requestId: string | null;
  processedAt: Timestamp | null;
}

declare module '../../db/schema.ts' {
  interface DB {
    bulkImport: BulkImportTable;
    bulkImportRow: BulkImportRowTable;
  }
}

export interface BulkImportDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange' | 'bulkImport'> & Partial<Pick<Config, 'publicUrl'>>;
  jobs?: JobQueue;
  mail?: MailService;
  /** Told the time each step of a registering set took (the bench's step timings; performance.md). */
  steps?: (step: string, ms: number) => void;
}

export interface CheckReport {
  format: ParsedFile['format'];
  encoding: ParsedFile['encoding'];
  delimiter: ParsedFile['delimiter'];
  rows: number;
  valid: number;
  invalid: number;
  report: RowReport[];
}

export interface Progress {
  id: string;
  ejFiness: string;
  fileName: string;
  mode: ImportMode;
  status: 'committing' | 'done';
  rows: number;
  invalid: number;
  pending: number;
  imported: number;
  failed: number;
  startedAt: Date;
  finishedAt: Date | null;
  /** Seconds left at the rate observed so far; null before the first row or when done. */
  etaSeconds: number | null;
}

/** Both declarations of the form's step 4, ticked for a whole batch. */
export const allDeclarations: Declarations = Object.freeze({ accurateAndInformed: true, metInPerson: true });

export const normalizedFiness = (raw: string) => {
  const checked = checkFiness(raw);
  return checked.valid ? checked.finess : raw;
};

export const rowKey = (importId: string, rowNumber: number) => `bulk-import:${importId}:${rowNumber}`;

/** More birth dates than this for one birth name + first name in a file: none of its rows is looked up. */

/** Rows checked, or written, per set-based step (one duplicate query, one multi-row insert…). */
export const setSize = 1000;
