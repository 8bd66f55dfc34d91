import type { ColumnType, Generated, Selectable } from 'kysely';

/** Table types, in camelCase (Kysely's CamelCasePlugin maps them to snake_case columns). */

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** SQL `date`, kept as 'YYYY-MM-DD' text (see the type parser in database.ts). */
type DateString = string;

export interface NomenclatureTable {
  kind: string;
  source: string;
  codeSystem: string | null;
  version: string | null;
  updatedAt: Timestamp;
}

export interface NomenclatureCodeTable {
  kind: string;
  code: string;
  label: string;
  system: string | null;
  validFrom: DateString | null;
  validTo: DateString | null;
  selectable: Generated<boolean>;
  position: number;
  extra: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface CommuneTable {
  id: Generated<number>;
  inseeCode: string;
  name: string;
  searchName: string;
  kind: string;
  departmentCode: string | null;
  currentInseeCode: string | null;
  postalCodes: ColumnType<string[], string[] | undefined, string[]>;
  validFrom: DateString | null;
  validTo: DateString | null;
}

export interface StructureTable {
  finess: string;
  kind: 'EJ' | 'EG';
  ejFiness: string | null;
  name: string;
  longName: string | null;
  categoryCode: string | null;
  categoryLabel: string | null;
  legalStatusCode: string | null;
  legalStatusLabel: string | null;
  siret: string | null;
  siren: string | null;
  addressLine: string | null;
  postalCode: string | null;
  city: string | null;
  inseeCode: string | null;
  departmentCode: string | null;
  phone: string | null;
  openedOn: DateString | null;
  closedOn: DateString | null;
  finessUpdatedOn: DateString | null;
  searchText: string;
  source: string;
  createdAt: Timestamp;
  updatedAt: Timestamp;
}

export interface StructureHistoryTable {
  id: Generated<number>;
  finess: string;
  field: string;
  oldValue: string | null;
  newValue: string | null;
  source: string;
  changedAt: Timestamp;
}

export interface MailMessageTable {
  id: Generated<string>;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  status: Generated<'queued' | 'sent' | 'outbox' | 'failed'>;
  attempts: Generated<number>;
  lastError: string | null;
  claimedUntil: Timestamp | null;
  dedupeKey: string;
  createdAt: Generated<Timestamp>;
  sentAt: Timestamp | null;
}

export interface AccessMatrixTable {
  id: Generated<number>;
  label: string;
  effectiveFrom: DateString;
  source: string;
  publishedBy: string;
  publishedAt: Timestamp;
}

export interface AccessMatrixEntryTable {
  matrixId: number;
  roleCode: string;
  documentType: string;
}

export interface DB {
  accessMatrix: AccessMatrixTable;
  accessMatrixEntry: AccessMatrixEntryTable;
  nomenclature: NomenclatureTable;
  nomenclatureCode: NomenclatureCodeTable;
  commune: CommuneTable;
  structure: StructureTable;
  structureHistory: StructureHistoryTable;
  mailMessage: MailMessageTable;
}

export type StructureRow = Selectable<StructureTable>;
