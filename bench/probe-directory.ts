import { sql } from 'kysely';
import { createDirectoryService } from '../src/server/modules/directory/service.ts';
import { createFhirService } from '../src/server/modules/fhir/service.ts';
import { systemClock } from '../src/server/context.ts';
import { namePrefixes } from './directory.bench.ts';
import { openPopulationBenchDatabase } from './population.ts';

/**
 * The name searches of `npm run bench -- directory`, one prefix at a time, on the population
 * database (bench/population.ts): the slowest prefixes of the FHIR name search (default `_total`)
 * and of the public search API, with their times, to pick the plans to read (EXPLAIN in
 * docs/performance.md). `npx tsx bench/probe-directory.ts [prefix…]`.
 */
const bench = await openPopulationBenchDatabase();
const { db } = bench.handle;
try {
  const fhir = createFhirService({ db, clock: systemClock, baseUrl: 'http://x/fhir' });
  const directory = createDirectoryService({ db });
  const prefixes = process.argv.length > 2 ? process.argv.slice(2) : [...new Set(namePrefixes())];
  const timed = async (f: () => Promise<unknown>) => {
    const t = performance.now();
    await f();
    return performance.now() - t;
  };
  const results: { prefix: string; fhir: number; api: number; total: unknown }[] = [];
  for (const prefix of prefixes) {
    let total: unknown;
    const f = await timed(async () => {
      total = ((await fhir.search('Practitioner', { name: prefix }, false)) as { total?: number }).total;
    });
    const a = await timed(() => directory.searchPractitioners({ q: prefix, page: 1, pageSize: 20 }));
    results.push({ prefix, fhir: f, api: a, total });
  }
  const show = (key: 'fhir' | 'api') => {
    const sorted = [...results].sort((x, y) => y[key] - x[key]);
    const times = sorted.map((r) => r[key]).sort((x, y) => x - y);
    const p95 = times[Math.floor(0.95 * times.length)]!;
    process.stdout.write(`\n${key}: p50 ${times[Math.floor(times.length / 2)]!.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms; slowest:\n`);
    for (const r of sorted.slice(0, 12)) process.stdout.write(`  ${r.prefix.padEnd(12)} ${r[key].toFixed(1).padStart(8)} ms  total ${String(r.total)}\n`);
  };
  show('fhir');
  show('api');
  await sql`select 1`.execute(db);
} finally {
  await bench.close();
}
