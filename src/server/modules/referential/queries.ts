import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { escapeLike } from '../../search-text.ts';

export function findNomenclature(db: Database, kind: string) {
  return db.selectFrom('nomenclature').selectAll().where('kind', '=', kind).executeTakeFirst();
}

export function listCodes(db: Database, kind: string) {
  return db.selectFrom('nomenclatureCode').selectAll().where('kind', '=', kind).orderBy('position').execute();
}

export function findCode(db: Database, kind: string, code: string) {
  return db
    .selectFrom('nomenclatureCode')
    .selectAll()
    .where('kind', '=', kind)
    .where('code', '=', code)
    .executeTakeFirst();
}

export function searchCommunes(db: Database, searchName: string, on: string | undefined, limit: number) {
  let query = db
    .selectFrom('commune')
    .select(['inseeCode', 'name', 'departmentCode', 'kind', 'currentInseeCode', 'postalCodes'])
    .where('searchName', 'like', `%${escapeLike(searchName)}%`);
  if (on) {
    query = query
      .where((eb) => eb.or([eb('validFrom', 'is', null), eb('validFrom', '<=', on)]))
      .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', on)]));
  }
  return query
    .orderBy(sql`case when search_name = ${searchName} then 0 when search_name like ${`${escapeLike(searchName)}%`} then 1 else 2 end`)
    .orderBy('name')
    .orderBy('inseeCode')
    .limit(limit)
    .execute();
}

/** Every commune row of an INSEE code (a code may name a former commune and, later, a current one). */
export function findCommunes(db: Database, inseeCode: string) {
  return db
    .selectFrom('commune')
    .select(['inseeCode', 'name', 'departmentCode', 'kind', 'currentInseeCode', 'postalCodes', 'validFrom', 'validTo'])
    .where('inseeCode', '=', inseeCode)
    .orderBy('validTo', (ob) => ob.desc().nullsFirst())
    .execute();
}
