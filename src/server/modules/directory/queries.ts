import { type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
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

/**
 * Past this many distinct words starting with a prefix, a page is not read word by word from the
 * word index (a short prefix of a real population, "ma", has thousands of words): the walk of the
 * name index finds its page early, such a prefix matching densely.
 */
export const maxPrefixWords = 64;

/** The range of the words starting with `prefix` (C collation: byte order). */
const prefixRange = (prefix: string) => ({ low: prefix, high: prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1) });

/**
 * The distinct words of the word index starting with `prefix`, in order, at most `max`, as a FROM
 * item `w(word)`: a skip scan, one index descent per word.
 */
function prefixWords(prefix: string, max: number) {
  const { low, high } = prefixRange(prefix);
  return sql`(with recursive s(word) as (
      (select word from directory_name_word where word >= ${low} and word < ${high} order by word limit 1)
      union all
      select (select n.word from directory_name_word n where n.word > s.word and n.word < ${high} order by n.word limit 1) from s where s.word is not null
    )
    select word from s where word is not null limit ${max}) as w`;
}

/** How many distinct words start with `prefix`, up to `maxPrefixWords` + 1 (more: read the page another way). */
export const prefixWordCount = (prefix: string) => sql<number>`(select count(*)::int from ${prefixWords(prefix, maxPrefixWords + 1)})`;

/** The distinct words of the word index starting with `prefix`, up to `maxPrefixWords` + 1. */
export async function wordsWithPrefix(db: Database, prefix: string): Promise<string[]> {
  const r = await sql<{ word: string }>`select word from ${prefixWords(prefix, maxPrefixWords + 1)}`.execute(db);
  return r.rows.map((x) => x.word);
}

/** The other words of a multi-word search, checked on the word index's copy of the name (`' ' || name_search`). */
const otherWordsMatch = (others: string[]) =>
  sql.join(
    others.map((o) => sql`(' ' || n.family_search || ' ' || n.given_search) like ${`% ${escapeLike(o)}%`}`),
    sql` and `,
  );

/**
 * The professionals of a page in name order (active ones), from the word index: for each word
 * starting with `anchor` (the first maxPrefixWords: the caller checks prefixWordCount), its first entries in name order after the
 * cursor (index directory_name_word_name_order, migration scale3m_20261205T0220_search_name_word_order), then their merge. A
 * professional has at most two entries per word (family and given name), so `2 × (limit)` entries
 * per word hold every professional of the page that has this word. The other words of the search
 * are checked on each entry (their word prefix on the copy of the name).
 */
export function nameOrderCandidates(anchor: string, others: string[], after: SearchPosition | undefined, limit: number) {
  const keyset = after ? sql`and (n.family_search, n.given_search, n.practitioner_id) > (${after.family}, ${after.given}, ${after.id})` : sql``;
  const filter = others.length > 0 ? sql`and ${otherWordsMatch(others)}` : sql``;
  return sql<{ id: string; familySearch: string; givenSearch: string }>`(select distinct e.practitioner_id as id, e.family_search, e.given_search
    from ${prefixWords(anchor, maxPrefixWords)}
    cross join lateral (
      select n.practitioner_id, n.family_search, n.given_search from directory_name_word n
      where n.word = w.word collate "C" and n.active ${filter} ${keyset}
      order by n.family_search, n.given_search, n.practitioner_id
      limit ${2 * limit}
    ) e
    order by e.family_search, e.given_search, id
    limit ${limit})`;
}

/**
 * The professionals (any status) of a FHIR page in id order that have a word starting with
 * `anchor` (its first maxPrefixWords words), of `part` if given, after the id `after`: each word's first
 * entries in id order (index directory_name_word_prefix, index-only), then their merge. Two
 * entries per word at most per professional (family and given name), as nameOrderCandidates.
 */
export function idOrderCandidates(anchor: string, part: 'f' | 'g' | undefined, after: string | null, limit: number) {
  return sql<{ id: string }>`(select distinct e.practitioner_id as id
    from ${prefixWords(anchor, maxPrefixWords)}
    cross join lateral (
      select n.practitioner_id from directory_name_word n
      where n.word = w.word collate "C" ${part ? sql`and n.part = ${part}` : sql``} ${after !== null ? sql`and n.practitioner_id > ${after}` : sql``}
      order by n.practitioner_id
      limit ${2 * limit}
    ) e
    order by id
    limit ${limit})`;
}

/**
 * A phrase (`toSearchText` form, several words, the last a prefix: FHIR `name=Le Gall`) checked on
 * the word index's copy of the name, as the name condition checks it on `' ' || name_search`
 * (`family_search`/`given_search` for `part` f/g): the copy is the same text, with at most a
 * space more where a name part is empty, which no phrase can match.
 */
export function phraseMatch(phrase: string, part: 'f' | 'g' | undefined) {
  const copy = part === 'f' ? sql`(' ' || n.family_search)` : part === 'g' ? sql`(' ' || n.given_search)` : sql`(' ' || n.family_search || ' ' || n.given_search)`;
  return sql<SqlBool>`${copy} like ${`% ${escapeLike(phrase)}%`}`;
}

/**
 * Counts, up to `cap`, the professionals (any status) whose name (or family/given name: `part`)
 * holds the phrase `words`, from the word index: the entries of the anchor word's prefix with the
 * phrase checked on each, index-only (index directory_name_word_phrase, migration
 * scale3m_20261205T0610_name_word_phrase), stopped after 2 × (cap + 1) matching entries, and
 * after 10 × that many entries read (a phrase rare among its anchor's entries, "martin du": the
 * caller counts the usual way, on the trigram index). `undefined` then, and as
 * countWordPrefixUpTo. Before, every FHIR phrase was counted on the trigram index.
 */
export async function countPhraseUpTo(db: Database, words: string[], part: 'f' | 'g' | undefined, cap: number) {
  const limit = 2 * (cap + 1);
  const scan = 10 * limit;
  const { low, high } = prefixRange(words[anchorWord(words)]!);
  const range = sql`n.word >= ${low} and n.word < ${high} ${part ? sql`and n.part = ${part}` : sql``}`;
  const r = await sql<{ entries: string | number; n: string | number; scanned: string | number }>`select count(*) as entries, count(distinct m.practitioner_id) as n,
      (select count(*) from (select 1 from directory_name_word n where ${range} limit ${scan}) s) as scanned
    from (
      select n.practitioner_id from (
        select n.practitioner_id, n.family_search, n.given_search from directory_name_word n where ${range} limit ${scan}
      ) n where ${phraseMatch(words.join(' '), part)} limit ${limit}
    ) m`.execute(db);
  const entries = Number(r.rows[0]!.entries);
  const n = Number(r.rows[0]!.n);
  if (n > cap) return { count: cap, more: true };
  if (entries < limit && Number(r.rows[0]!.scanned) < scan) return { count: n, more: false };
  return undefined;
}

/**
 * The word of a multi-word search whose prefix reads the fewest entries, guessed: the longest
 * (a longer prefix matches fewer words), the last one on a tie.
 */
export function anchorWord(words: string[]): number {
  let best = 0;
  words.forEach((w, i) => {
    if (w.length >= words[best]!.length) best = i;
  });
  return best;
}

/**
 * Counts, up to `cap`, the active professionals that have a word starting with `words[anchor]` and
 * the other words' prefixes in their name, from the word index: the anchor's entries with the
 * others checked on each, stopped after 2 × (cap + 1) matching entries; `undefined` as
 * countWordPrefixUpTo.
 */
export async function countWordsUpTo(db: Database, words: string[], anchor: number, cap: number) {
  const limit = 2 * (cap + 1);
  const { low, high } = prefixRange(words[anchor]!);
  const others = words.filter((_, i) => i !== anchor);
  const r = await sql<{ entries: string | number; n: string | number }>`select count(*) as entries, count(distinct m.practitioner_id) as n from (
      select n.practitioner_id from directory_name_word n where n.word >= ${low} and n.word < ${high} and n.active and ${otherWordsMatch(others)} limit ${limit}
    ) m`.execute(db);
  const entries = Number(r.rows[0]!.entries);
  const n = Number(r.rows[0]!.n);
  if (n > cap) return { count: cap, more: true };
  if (entries < limit) return { count: n, more: false };
  return undefined;
}

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
  // The active situations of the page's professionals in the same statement, read once the page is cut.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the two page queries differ in their FROM
  const withSituations = <O extends { id: string; familySearch: string; givenSearch: string }>(pageRows: SelectQueryBuilder<any, any, O>) =>
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
      .orderBy('p.id');
  const listed = ['p.id', 'p.rpps', 'p.family', 'p.given', 'p.familySearch', 'p.givenSearch'] as const;

  const byWords = wordIndexPlan(f, from);
  if (byWords) {
    // Name order from the word index (nameOrderCandidates), the words of the anchor found in the
    // same statement; the names of the page from the covering name index by its own key (an
    // index-only read, the page's entries are neighbours there) instead of a table row each.
    const pageRows = db
      .selectFrom(nameOrderCandidates(byWords.anchor, byWords.others, after, limit + 1).as('m'))
      .innerJoin('directoryPractitioner as p', (j) =>
        j.onRef('p.familySearch', '=', 'm.familySearch').onRef('p.givenSearch', '=', 'm.givenSearch').onRef('p.id', '=', 'm.id').on('p.active', '=', true),
      )
      .select([...listed, sql<boolean>`true`.as('active'), prefixWordCount(byWords.anchor).as('prefixWords')]);
    const [fetched, count] = await Promise.all([withSituations(pageRows).execute(), countMatches(db, f, q, byWords)]);
    // Read from the first maxPrefixWords words only: kept unless the anchor starts more words.
    const words = fetched.length > 0 ? fetched[0]!.prefixWords : (await wordsWithPrefix(db, byWords.anchor)).length;
    if (words <= maxPrefixWords) {
      const rows = fetched.map(({ prefixWords: _, ...r }) => r);
      return { rows, total: count.count, totalIsLowerBound: count.more };
    }
  }

  // Otherwise served by the covering index directory_practitioner_active_order (index-only scan:
  // `active` is the constant of its predicate, not read from the row); the keyset condition is a
  // row comparison on the index's own columns, so the scan starts at the cursor.
  const page = after ? q.where(sql<boolean>`(p.family_search, p.given_search, p.id) > (${after.family}, ${after.given}, ${after.id})`) : q;
  const pageRows = page
    .select([...listed, sql<boolean>`true`.as('active')])
    .orderBy('p.familySearch')
    .orderBy('p.givenSearch')
    .orderBy('p.id')
    .limit(limit + 1)
    .offset(from.offset ?? 0);
  const [rows, count] = await Promise.all([withSituations(pageRows).execute(), countMatches(db, f, q, byWords)]);
  return { rows, total: count.count, totalIsLowerBound: count.more };
}

/** Only name prefixes: no RPPS number, no filter on the situations. */
const namesOnly = (f: PractitionerFilter) => !f.rpps && !f.profession && !f.role && !f.structure && !f.department && f.words.length > 0 && f.words.every((w) => /^[a-z0-9]+$/.test(w));

/**
 * Whether a page is read from the word index: a search of name prefixes alone, not by OFFSET; the
 * anchor word and the other words.
 */
function wordIndexPlan(f: PractitionerFilter, from: { offset?: number }) {
  if (!namesOnly(f) || (from.offset ?? 0) > 0) return undefined;
  const anchor = anchorWord(f.words);
  return { anchor: f.words[anchor]!, anchorIndex: anchor, others: f.words.filter((_, i) => i !== anchor) };
}

/** The search's count up to searchCountCap: from the word index for name prefixes alone. */
async function countMatches(db: Database, f: PractitionerFilter, q: Parameters<typeof countUpTo>[1], byWords: { anchorIndex: number } | undefined) {
  const fromWords = !namesOnly(f)
    ? undefined
    : f.words.length === 1
      ? await countWordPrefixUpTo(db, f.words[0]!, { activeOnly: true }, searchCountCap)
      : await countWordsUpTo(db, f.words, byWords?.anchorIndex ?? anchorWord(f.words), searchCountCap);
  return fromWords ?? countUpTo(db, q, searchCountCap);
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
