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
