import { sql } from 'kysely';
import { openPopulationBenchDatabase } from './population.ts';
import { seededRpps } from './directory-seed.ts';
import { nameOrderCandidates } from '../src/server/modules/directory/queries.ts';

/**
 * EXPLAIN (ANALYZE, BUFFERS) of the directory's statements on the benchmarks' population
 * (bench/population.ts: 3,000,000 professionals on PostgreSQL, seeded once and reused):
 * the counts up to 1,000 of a name prefix (before: on the name; after: on the word index), the
 * FHIR page in id order, the search page in name order (page 1, and page 40 by OFFSET and by
 * keyset), and the read by id. `npx tsx bench/explain-directory.ts [prefix]`; the plans are
 * quoted in docs/performance.md.
 */
const bench = await openPopulationBenchDatabase();
const { db } = bench.handle;
try {
  const prefix = process.argv[2] ?? process.env.BENCH_PREFIX ?? 'lefev';
  const like = `% ${prefix}%`;
  const cols = sql`p.id, p.rpps, p.family, p.given, p.family_search, p.given_search`;
  const where = sql`p.active = true and (' ' || p.name_search) like ${like}`;
  const order = sql`order by p.family_search, p.given_search, p.id`;
  const offsetRow = await sql<{ familySearch: string; givenSearch: string; id: string }>`select family_search, given_search, id from directory_practitioner p where ${where} ${order} limit 1 offset 974`.execute(db);
  const c = offsetRow.rows[0];
  // The search page from the word index (migration scale3m_20261205T0220): the prefix's words, then one stream per word.
  const multi = process.env.BENCH_MULTI ?? 'le gall';
  const [m1, m2] = multi.split(' ') as [string, string];
  // The word the FHIR phrase count reads (anchorWord: the longest, the last on a tie).
  const anchor = m1.length > m2.length ? m1 : m2;
  const page = await sql<{ id: string }>`select id from ${nameOrderCandidates(prefix, [], undefined, 21)} m`.execute(db);
  const pageIds = page.rows.map((r) => r.id);
  const situationCols = sql.raw(
    ['id', 'eg_finess', 'eg_name', 'ej_finess', 'department_code', 'profession_code', 'profession_label', 'role_code', 'role_label', 'mode_code', 'start_date', 'end_date', 'active'].map((c) => `r.${c}`).join(', '),
  );
  const plans: Record<string, ReturnType<typeof sql>> = {
    'count up to 1,000 on the name (before)': sql`select count(*) from (select 1 from directory_practitioner p where (' ' || p.name_search) like ${like} limit 1001) m`,
    'count up to 1,000 on the word index (after)': sql`select count(*) as entries, count(distinct practitioner_id) as n from (select practitioner_id from directory_name_word where word like ${`${prefix}%`} limit 2002) m`,
    'count up to 1,000, active only, on the word index (search page)': sql`select count(*) as entries, count(distinct practitioner_id) as n from (select practitioner_id from directory_name_word where word like ${`${prefix}%`} and active limit 2002) m`,
    'FHIR page of 50 in id order': sql`select id, rpps, family, given, active, withdrawn, version_id, last_updated from directory_practitioner where (' ' || name_search) like ${like} order by id limit 51`,
    'search page 1 in name order': sql`select ${cols} from directory_practitioner p where ${where} ${order} limit 21`,
    ...(c
      ? {
          'search page 40 by OFFSET': sql`select ${cols} from directory_practitioner p where ${where} ${order} limit 26 offset 975`,
          'search page 40 by keyset': sql`select ${cols} from directory_practitioner p where ${where} and (p.family_search, p.given_search, p.id) > (${c.familySearch}, ${c.givenSearch}, ${c.id}) ${order} limit 26`,
        }
      : {}),
    'words of the prefix (skip scan of the word index)': sql`with recursive w(word) as ((select word from directory_name_word where word >= ${prefix} order by word limit 1) union all select (select n.word from directory_name_word n where n.word > w.word order by n.word limit 1) from w where w.word like ${`${prefix}%`}) select word from w where word like ${`${prefix}%`}`,
    'search page 1 from the word index (after)': sql`select * from ${nameOrderCandidates(prefix, [], undefined, 21)} m`,
    ...(c ? { 'search page 40 by keyset from the word index (after)': sql`select * from ${nameOrderCandidates(prefix, [], { family: c.familySearch, given: c.givenSearch, id: c.id }, 26)} m` } : {}),
    [`search "${multi}": page 1 walking the name index (before)`]: sql`select ${cols} from directory_practitioner p where p.active and (' ' || p.name_search) like ${`% ${m1}%`} and (' ' || p.name_search) like ${`% ${m2}%`} ${order} limit 21`,
    [`search "${multi}": count up to 1,000 on the name (before)`]: sql`select count(*) from (select 1 from directory_practitioner p where p.active and (' ' || p.name_search) like ${`% ${m1}%`} and (' ' || p.name_search) like ${`% ${m2}%`} limit 1001) m`,
    [`search "${multi}": page 1 from the word index, anchor "${m2}" (after)`]: sql`select * from ${nameOrderCandidates(m2, [m1], undefined, 21)} m`,
    [`search "${multi}": count up to 1,000 from the word index (after)`]: sql`select count(*) as entries, count(distinct practitioner_id) as n from (select n.practitioner_id from directory_name_word n where n.word >= ${m2} and n.word < ${`${m2}\x7f`} and n.active and (' ' || n.family_search || ' ' || n.given_search) like ${`% ${m1}%`} limit 2002) m`,
    // FHIR name=<phrase> (any status), its count up to 1,000: on the name's trigram index (before), from the word index (after, countPhraseUpTo).
    [`FHIR name="${multi}": count up to 1,000 on the name (before)`]: sql`select count(*) from (select 1 from directory_practitioner p where (' ' || p.name_search) like ${`% ${multi}%`} limit 1001) m`,
    [`FHIR name="${multi}": count up to 1,000 from the word index, anchor "${anchor}" (after)`]: sql`select count(*) as entries, count(distinct m.practitioner_id) as n,
        (select count(*) from (select 1 from directory_name_word n where n.word >= ${anchor} and n.word < ${`${anchor}\x7f`} limit 20020) s) as scanned
      from (select n.practitioner_id from (select n.practitioner_id, n.family_search, n.given_search from directory_name_word n where n.word >= ${anchor} and n.word < ${`${anchor}\x7f`} limit 20020) n
        where (' ' || n.family_search || ' ' || n.given_search) like ${`% ${multi}%`} limit 2002) m`,
    // The situations of a search page (the `jsonArrayFrom` of searchPractitioners: one subplan per professional of the page).
    'situations of a search page (21 professionals)': sql`select p.id, (select coalesce(json_agg(x), '[]') from (select ${situationCols} from directory_practitioner_role r
        where r.practitioner_id = p.id and r.withdrawn = false and r.active = true order by r.start_date desc, r.id) x) as situations
      from unnest(${pageIds}::text[]) as p(id)`,
    'FHIR read by id': sql`select id, rpps, family, given, active, withdrawn, version_id, last_updated from directory_practitioner where id = ${seededRpps(1_234_567 % bench.sizes.directory)}`,
  };
  for (const [name, query] of Object.entries(plans)) {
    await sql`explain (analyze) ${query}`.execute(db); // warm
    const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers, costs off) ${query}`.execute(db);
    process.stdout.write(`\n-- ${name} (${bench.sizes.directory.toLocaleString('en')} professionals, prefix "${prefix}")\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`);
  }
} finally {
  await bench.close();
}
