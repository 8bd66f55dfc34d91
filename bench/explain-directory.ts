import { sql } from 'kysely';
import { seedDirectory } from './directory-seed.ts';
import { openScratchBenchDatabase } from './support.ts';

/**
 * EXPLAIN ANALYZE of the public search API's statements on a generated directory
 * (BENCH_DIRECTORY_SIZE, 100,000 by default here): the page by OFFSET (40th page of 25) and by
 * keyset, and the count up to 1,000. `npx tsx bench/explain-directory.ts`; the plans are quoted in
 * docs/performance.md.
 */
const bench = await openScratchBenchDatabase();
const { db } = bench.handle;
try {
  const size = Number(process.env.BENCH_DIRECTORY_SIZE ?? 100_000);
  await seedDirectory(db, size);
  const prefix = process.env.BENCH_PREFIX ?? 'mar';
  const like = `% ${prefix}%`;
  const cols = sql`p.id, p.rpps, p.family, p.given, p.family_search, p.given_search`;
  const where = sql`p.active = true and (' ' || p.name_search) like ${like}`;
  const order = sql`order by p.family_search, p.given_search, p.id`;
  const offsetRow = await sql<{ familySearch: string; givenSearch: string; id: string }>`select family_search, given_search, id from directory_practitioner p where ${where} ${order} limit 1 offset 974`.execute(db);
  const c = offsetRow.rows[0]!;
  const plans = {
    'page 40 by OFFSET': sql`select ${cols} from directory_practitioner p where ${where} ${order} limit 26 offset 975`,
    'page 40 by keyset': sql`select ${cols} from directory_practitioner p where ${where} and (p.family_search, p.given_search, p.id) > (${c.familySearch}, ${c.givenSearch}, ${c.id}) ${order} limit 26`,
    'count up to 1,000': sql`select count(*) from (select 1 from directory_practitioner p where ${where} limit 1001) m`,
  };
  for (const [name, query] of Object.entries(plans)) {
    await sql`explain (analyze) ${query}`.execute(db); // warm
    const r = await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${query}`.execute(db);
    process.stdout.write(`\n-- ${name} (${size.toLocaleString('en')} professionals, prefix "${prefix}")\n${r.rows.map((x) => x['QUERY PLAN']).join('\n')}\n`);
  }
} finally {
  await bench.close();
}
