import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';

/**
 * Reads and writes of the extraction files (docs/directory-and-fhir.md, "Extraction files").
 * The reads walk the public read model only (directory_* and structure, FINESS data), in keyset
 * batches: no OFFSET, constant memory whatever the size of the directory.
 */

/** One line of the file: a published professional × one of his active situations. */
export interface ExtractionLine {
  rpps: string;
  family: string | null;
  given: string | null;
  roleId: string;
  professionCode: string | null;
  professionLabel: string | null;
  roleCode: string | null;
  roleLabel: string | null;
  modeCode: string | null;
  modeLabel: string | null;
  egFiness: string | null;
  ejFiness: string | null;
  egName: string | null;
  siret: string | null;
  siren: string | null;
  addressLine: string | null;
  postalCode: string | null;
  inseeCode: string | null;
  city: string | null;
  departmentCode: string | null;
  departmentLabel: string | null;
}

export interface LineCursor {
  practitionerId: string;
  roleId: string;
}

function linesQuery(db: Kysely<DB>) {
  return db
    .selectFrom('directoryPractitionerRole as r')
    .innerJoin('directoryPractitioner as p', 'p.id', 'r.practitionerId')
    .leftJoin('structure as s', 's.finess', 'r.egFiness')
    .leftJoin('nomenclatureCode as mode', (j) => j.onRef('mode.code', '=', 'r.modeCode').on('mode.kind', '=', 'mode-exercice'))
    .leftJoin('nomenclatureCode as dep', (j) => j.onRef('dep.code', '=', 'r.departmentCode').on('dep.kind', '=', 'department'))
    .where('r.active', '=', true)
    .where('r.withdrawn', '=', false)
    .where('p.active', '=', true)
    .where('p.withdrawn', '=', false)
    .select([
      'p.id as practitionerId',
      'p.rpps',
      'p.family',
      'p.given',
      'r.id as roleId',
      'r.professionCode',
      'r.professionLabel',
      'r.roleCode',
      'r.roleLabel',
      'r.modeCode',
      'mode.label as modeLabel',
      'r.egFiness',
      'r.ejFiness',
      sql<string | null>`coalesce(s.name, r.eg_name)`.as('egName'),
      's.siret',
      's.siren',
      's.addressLine',
      's.postalCode',
      's.inseeCode',
      's.city',
      'r.departmentCode',
      'dep.label as departmentLabel',
    ]);
}

/** The next batch of active lines after `after`, in (professional, situation) order (partial index directory_role_extraction_idx). */
export function activeLinesAfter(db: Kysely<DB>, after: LineCursor | null, limit: number) {
  let q = linesQuery(db);
  if (after) q = q.where(sql<boolean>`(r.practitioner_id, r.id) > (${after.practitionerId}, ${after.roleId})`);
  return q.orderBy('r.practitionerId').orderBy('r.id').limit(limit).execute();
}

/** The active lines of these professionals (a delta batch), in the same order as the full file. */
export function activeLinesOf(db: Kysely<DB>, rpps: string[]) {
  if (rpps.length === 0) return Promise.resolve([]);
  return linesQuery(db).where('p.rpps', 'in', rpps).orderBy('r.practitionerId').orderBy('r.id').execute();
}

/** The last change of the feed visible to this transaction (0 when the feed is empty). */
export async function lastChangeSeq(db: Kysely<DB>): Promise<number> {
  const row = await db.selectFrom('directoryChange').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/**
 * The professionals changed in (from, to], kept in a temporary table of this transaction so a
 * large delta is walked in batches without holding the set in memory.
 */
export async function collectChangedProfessionals(trx: Kysely<DB>, from: number, to: number) {
  await sql`CREATE TEMP TABLE extraction_changed (rpps char(11) PRIMARY KEY) ON COMMIT DROP`.execute(trx);
  await sql`INSERT INTO extraction_changed SELECT DISTINCT rpps FROM directory_change WHERE seq > ${from} AND seq <= ${to}`.execute(trx);
}

export async function changedProfessionalsAfter(trx: Kysely<DB>, after: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ rpps: string }>`SELECT rpps FROM extraction_changed WHERE rpps > ${after} ORDER BY rpps LIMIT ${limit}`.execute(trx);
  return rows.map((r) => r.rpps);
}

/** Changed professionals that no longer have any active line: withdrawn from the public file. */
export async function withdrawnProfessionalsAfter(trx: Kysely<DB>, after: string, limit: number): Promise<string[]> {
  const { rows } = await sql<{ rpps: string }>`
    SELECT c.rpps FROM extraction_changed c
    WHERE c.rpps > ${after}
      AND NOT EXISTS (
        SELECT 1 FROM directory_practitioner p
        JOIN directory_practitioner_role r ON r.practitioner_id = p.id AND r.active AND NOT r.withdrawn
        WHERE p.rpps = c.rpps AND p.active AND NOT p.withdrawn)
    ORDER BY c.rpps LIMIT ${limit}`.execute(trx);
  return rows.map((r) => r.rpps);
}

/** Takes the extraction lock for this transaction, or answers false if another run holds it. */
export async function tryExtractionLock(trx: Kysely<DB>): Promise<boolean> {
  const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('directory.extraction')) AS locked`.execute(trx);
  return rows[0]?.locked === true;
}

const extractionColumns = ['id', 'kind', 'fileName', 'generatedAt', 'seqFrom', 'seqTo', 'lineCount', 'withdrawnCount', 'sizeBytes', 'sha256'] as const;

export function findExtractionByName(db: Kysely<DB>, fileName: string) {
  return db.selectFrom('directoryExtraction').select(extractionColumns).where('fileName', '=', fileName).executeTakeFirst();
}

export function findExtraction(db: Kysely<DB>, id: string) {
  return db.selectFrom('directoryExtraction').select(extractionColumns).where('id', '=', id).executeTakeFirst();
}

export function listExtractions(db: Kysely<DB>) {
  return db.selectFrom('directoryExtraction').select(extractionColumns).orderBy('generatedAt', 'desc').orderBy('kind').execute();
}

/** Where the next delta starts: the end of the previous delta, else of the last full file, else the beginning. */
export async function deltaStart(db: Kysely<DB>): Promise<number> {
  for (const kind of ['delta', 'full'] as const) {
    const row = await db.selectFrom('directoryExtraction').select('seqTo').where('kind', '=', kind).orderBy('seqTo', 'desc').limit(1).executeTakeFirst();
    if (row) return Number(row.seqTo);
  }
  return 0;
}

export function insertExtraction(trx: Kysely<DB>, values: { kind: 'full' | 'delta'; fileName: string; generatedAt: Date; seqFrom: number; seqTo: number }) {
  return trx.insertInto('directoryExtraction').values(values).returning('id').executeTakeFirstOrThrow();
}

export function insertChunk(trx: Kysely<DB>, extractionId: string, n: number, data: Buffer) {
  return trx.insertInto('directoryExtractionChunk').values({ extractionId, n, data }).execute();
}

export function completeExtraction(trx: Kysely<DB>, id: string, values: { lineCount: number; withdrawnCount: number; sizeBytes: number; sha256: string }) {
  return trx.updateTable('directoryExtraction').set(values).where('id', '=', id).execute();
}

/** Deletes the files of `kind` beyond the `keep` most recent ones (their chunks go by cascade). */
export async function pruneExtractions(trx: Kysely<DB>, kind: 'full' | 'delta', keep: number) {
  const old = await trx.selectFrom('directoryExtraction').select('id').where('kind', '=', kind).orderBy('generatedAt', 'desc').orderBy('seqTo', 'desc').offset(keep).limit(1000).execute();
  if (old.length > 0) await trx.deleteFrom('directoryExtraction').where('id', 'in', old.map((o) => o.id)).execute();
  return old.length;
}

export function chunkAfter(db: Kysely<DB>, extractionId: string, n: number) {
  return db.selectFrom('directoryExtractionChunk').select(['n', 'data']).where('extractionId', '=', extractionId).where('n', '>', n).orderBy('n').limit(1).executeTakeFirst();
}
