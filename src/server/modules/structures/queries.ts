import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { escapeLike } from '../../search-text.ts';

const summaryColumns = [
  'finess',
  'kind',
  'name',
  'longName',
  'categoryCode',
  'categoryLabel',
  'postalCode',
  'city',
  'departmentCode',
  'ejFiness',
  'closedOn',
] as const;

export function findStructure(db: Database, finess: string) {
  return db.selectFrom('structure').selectAll().where('finess', '=', finess).executeTakeFirst();
}

export function listEstablishmentsOf(db: Database, ejFiness: string) {
  return db
    .selectFrom('structure')
    .select(summaryColumns)
    .where('ejFiness', '=', ejFiness)
    .where('kind', '=', 'EG')
    .orderBy('name')
    .orderBy('finess')
    .execute();
}

export interface StructureFilter {
  /** FINESS prefix (digits, 2A/2B). */
  finessPrefix?: string;
  /** Normalised words, each must appear in the name/city text. */
  words: string[];
  kind?: 'EJ' | 'EG';
  department?: string;
  includeClosed: boolean;
  today: string;
}

export async function searchStructures(db: Database, f: StructureFilter, limit: number, offset: number) {
  let query = db.selectFrom('structure');
  if (f.finessPrefix) query = query.where('finess', 'like', `${escapeLike(f.finessPrefix)}%`);
  for (const word of f.words) query = query.where('searchText', 'like', `%${escapeLike(word)}%`);
  if (f.kind) query = query.where('kind', '=', f.kind);
  if (f.department) query = query.where('departmentCode', '=', f.department);
  if (!f.includeClosed) query = query.where((eb) => eb.or([eb('closedOn', 'is', null), eb('closedOn', '>', f.today)]));

  const [rows, count] = await Promise.all([
    query
      .select(summaryColumns)
      .orderBy(sql`case when kind = 'EJ' then 0 else 1 end`)
      .orderBy('name')
      .orderBy('finess')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/**
 * The contracts of an EJ that are alive (draft, submitted or active): its own (eg_finess null)
 * and those signed by one of its EG. Only the level and the status: nothing about the people.
 */
export function liveContractsOf(db: Database, ejFiness: string) {
  return db
    .selectFrom('contract')
    .select(['egFiness', 'status'])
    .where('ejFiness', '=', ejFiness)
    .where('status', 'in', ['draft', 'submitted', 'active'])
    .execute();
}
