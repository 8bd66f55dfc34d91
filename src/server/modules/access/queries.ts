import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

export function findMatrixInForce(db: Database, on: string) {
  return db
    .selectFrom('accessMatrix')
    .selectAll()
    .where('effectiveFrom', '<=', on)
    .orderBy('effectiveFrom', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function listMatrixVersions(db: Database) {
  return db.selectFrom('accessMatrix').selectAll().orderBy('effectiveFrom').execute();
}

export function listMatrixEntries(db: Database, matrixId: number) {
  return db
    .selectFrom('accessMatrixEntry')
    .select(['roleCode', 'documentType'])
    .where('matrixId', '=', matrixId)
    .execute();
}

/**
 * The situations (deleted ones excluded) of every person named, in one query; a person without
 * situation comes back once with null situation columns, an unknown number not at all. Each row
 * also carries `matrixHead`, the newest matrix version id: versions are only ever added, so a
 * cached list with the same head is current (no separate round trip for the versions).
 */
export function situationsOfPersons(db: Database, rpps: readonly string[]) {
  return db
    .selectFrom('person')
    .leftJoin('situation', (join) => join.onRef('situation.personId', '=', 'person.id').on('situation.status', '<>', 'deleted'))
    .select(['person.rpps', 'person.identityStatus', 'situation.egFiness', 'situation.roleCode', 'situation.startDate', 'situation.endDate', 'situation.status'])
    .where('person.rpps', 'in', rpps)
    .select(sql<number | null>`(select max(id) from access_matrix)`.as('matrixHead'))
    .execute();
}
