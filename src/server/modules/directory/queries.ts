import { type SqlBool, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import { countUpTo } from '../../db/count.ts';
import type { Database } from '../../db/database.ts';
import { escapeLike } from '../../search-text.ts';

/**
 * Word-prefix match on a `*_search` column of directory_practitioner ("mar" finds MARTIN and
 * ANNE-MARIE): `col like 'mar%' or col like '% mar%'` written as one condition on the name with a
 * leading space, the expression of its trigram index (migration 20261123T1450). `pattern` is
 * already in `toSearchText` form and LIKE-escaped; `contains` matches anywhere in the name.
 */
export function nameMatch(column: string, pattern: string, mode: 'word-prefix' | 'contains' = 'word-prefix') {
  return sql<SqlBool>`(' ' || ${sql.ref(column)}) like ${mode === 'contains' ? `%${pattern}%` : `% ${pattern}%`}`;
}

/**
 * Counts the professionals one of whose name words starts with `prefix` (one word, in
 * `toSearchText` form), up to `cap`, from the word index (directory_name_word, migration
 * scale3m_20261204T2230): an index range read and stopped after 2 × (cap + 1) entries, whatever
 * the size of the directory, where the same count on the name (trigram index or scan) grew with it.
 * A professional has one entry per distinct word (and part): the entries are counted distinct by
 * professional, exact while fewer than the limit were read; past it, more than `cap` match unless
 * an unusual share of them have two words with this prefix, in which case `undefined` tells the
 * caller to count the usual way.
 */
export async function countWordPrefixUpTo(
  db: Database,
  prefix: string,
  options: { part?: 'f' | 'g'; activeOnly: boolean },
  cap: number,
): Promise<{ count: number; more: boolean } | undefined> {
  const limit = 2 * (cap + 1);
  let q = db.selectFrom('directoryNameWord').select('practitionerId').where('word', 'like', `${escapeLike(prefix)}%`);
  if (options.part) q = q.where('part', '=', options.part);
  if (options.activeOnly) q = q.where('active', '=', true);
  const r = await db
    .selectFrom(q.limit(limit).as('m'))
    .select((eb) => [eb.fn.countAll<string | number>().as('entries'), eb.fn.count<string | number>('m.practitionerId').distinct().as('n')])
    .executeTakeFirstOrThrow();
  const entries = Number(r.entries);
  const n = Number(r.n);
  if (n > cap) return { count: cap, more: true };
  if (entries < limit) return { count: n, more: false };
  return undefined;
}

/** The single word of a word-prefix search that the word index can count, if it is one. */
export const singleSearchWord = (words: string[]) => (words.length === 1 && /^[a-z0-9]+$/.test(words[0]!) ? words[0] : undefined);

/** Reads of the directory read model (public data only). */
export function listChanges(db: Database, since: number, limit: number) {
  return db.selectFrom('directoryChange').selectAll().where('seq', '>', since).orderBy('seq').limit(limit).execute();
}

/** The columns of a situation on the public search page and card. */
export const situationColumns = [
  'r.id',
  'r.egFiness',
  'r.egName',
  'r.ejFiness',
  'r.departmentCode',
  'r.professionCode',
  'r.professionLabel',
  'r.roleCode',
  'r.roleLabel',
  'r.modeCode',
  'r.startDate',
  'r.endDate',
  'r.active',
] as const;

export interface PractitionerFilter {
  words: string[];
  rpps?: string;
  profession?: string;
  role?: string;
  structure?: string;
  department?: string;
}

/** Matches the search page counts exactly; past it, "more than 1,000" (a common prefix matches ~10 % of the directory). */
export const searchCountCap = 1000;

/** Where a page ends in the name order: the next page starts strictly after it. */
export interface SearchPosition {
  family: string;
  given: string;
  id: string;
}

/**
 * One page in name order: after `from.after` (keyset: the next page starts where the last one
 * ended, an index range scan whatever the depth), or at `from.offset` (the legacy `page`
 * parameter). Reads `limit + 1` rows so the caller knows whether a next page exists.
 */
export async function searchPractitioners(db: Database, f: PractitionerFilter, limit: number, from: { after?: SearchPosition; offset?: number }) {
  let q = db.selectFrom('directoryPractitioner as p').where('p.active', '=', true);
  if (f.rpps) q = q.where('p.rpps', '=', f.rpps);
  for (const w of f.words) {
    const v = escapeLike(w);
    q = q.where(nameMatch('p.name_search', v));
  }
  if (f.profession || f.role || f.structure || f.department) {
    q = q.where(({ exists, selectFrom }) => {
      let r = selectFrom('directoryPractitionerRole as r').select('r.id').whereRef('r.practitionerId', '=', 'p.id').where('r.active', '=', true);
      if (f.profession) r = r.where('r.professionCode', '=', f.profession);
      if (f.role) r = r.where('r.roleCode', '=', f.role);
      if (f.department) r = r.where('r.departmentCode', '=', f.department);
      if (f.structure) {
        const s = f.structure;
        r = r.where((eb) => eb.or([eb('r.egFiness', '=', s), eb('r.ejFiness', '=', s)]));
      }
      return exists(r);
    });
  }
  const { after } = from;
  const page = after ? q.where(sql<boolean>`(p.family_search, p.given_search, p.id) > (${after.family}, ${after.given}, ${after.id})`) : q;
  // Name order, served by the covering index directory_practitioner_active_order (index-only
  // scan: `active` is the constant of its predicate, not read from the row); the keyset
  // condition is a row comparison on the index's own columns, so the scan starts at the cursor.
  const pageRows = page
    .select(['p.id', 'p.rpps', 'p.family', 'p.given', 'p.familySearch', 'p.givenSearch', sql<boolean>`true`.as('active')])
    .orderBy('p.familySearch')
    .orderBy('p.givenSearch')
    .orderBy('p.id')
    .limit(limit + 1)
    .offset(from.offset ?? 0);
  const [rows, count] = await Promise.all([
    // The active situations of the page's professionals in the same statement, read once the page is cut.
    db
      .selectFrom(pageRows.as('p'))
      .selectAll('p')
      .select((eb) =>
        jsonArrayFrom(
          eb
            .selectFrom('directoryPractitionerRole as r')
            .select(situationColumns)
            .whereRef('r.practitionerId', '=', 'p.id')
            .where('r.withdrawn', '=', false)
            .where('r.active', '=', true)
            .orderBy('r.startDate', 'desc')
            .orderBy('r.id'),
        ).as('situations'),
      )
      .orderBy('p.familySearch')
      .orderBy('p.givenSearch')
      .orderBy('p.id')
      .execute(),
    countMatches(db, f, q),
  ]);
  return { rows, total: count.count, totalIsLowerBound: count.more };
}

/** The search's count up to searchCountCap: from the word index for a name prefix alone. */
async function countMatches(db: Database, f: PractitionerFilter, q: Parameters<typeof countUpTo>[1]) {
  const word = !f.rpps && !f.profession && !f.role && !f.structure && !f.department ? singleSearchWord(f.words) : undefined;
  return (word !== undefined ? await countWordPrefixUpTo(db, word, { activeOnly: true }, searchCountCap) : undefined) ?? countUpTo(db, q, searchCountCap);
}

export function rolesOfPractitioners(db: Database, ids: string[], onlyActive: boolean) {
  if (ids.length === 0) return Promise.resolve([]);
  let q = db.selectFrom('directoryPractitionerRole').selectAll().where('practitionerId', 'in', ids).where('withdrawn', '=', false);
  if (onlyActive) q = q.where('active', '=', true);
  return q.orderBy('startDate', 'desc').orderBy('id').execute();
}

export function findPractitioner(db: Database, rpps: string) {
  return db.selectFrom('directoryPractitioner').select(['id', 'rpps', 'family', 'given', 'active', 'withdrawn']).where('rpps', '=', rpps).executeTakeFirst();
}
