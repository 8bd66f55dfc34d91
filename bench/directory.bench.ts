import os from 'node:os';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/context.ts';
import { createMetrics } from '../src/server/http/metrics.ts';
import { readCacheFigures } from '../src/server/modules/fhir/read-cache.ts';
import { systems } from '../src/server/modules/fhir/resources.ts';
import { firstNames, seededRpps, surnames } from './directory-seed.ts';
import { openPopulationBenchDatabase } from './population.ts';
import { listenLocally, meanOf, measure, printTable, startHelloWorld } from './support.ts';

/**
 * Issue 8, acceptance 6, and issue 18: the public directory's reads on the generated national
 * population (bench/population.ts: 3,000,000 professionals on PostgreSQL, 300,000 on PGlite;
 * BENCH_DIRECTORY_SIZE overrides; seeded once, reused by later runs), each as a ratio of a bare Fastify
 * hello-world served by this process in the same run:
 * - FHIR read by identifier (`identifier=system|RPPS`) and by id, another professional each request;
 * - FHIR name search (word prefix, accent/case-insensitive, `_count` default 50), varied
 *   prefixes, some accented: without `_total` (exact up to 1,000 matches, omitted past it), with
 *   `_total=none`, `_total=estimate` (exact up to 1,000, then the planner's estimate) and
 *   `_total=accurate` (counts every match: the cost the others avoid);
 * - the search page's API (`/api/directory/practitioners?q=`, counts up to 1,000, name order), same prefixes.
 * openBenchDatabase raises the public rate limit out of the way (the bench is one client): it
 * measures the server, not the limiter (which still counts every request).
 * BENCH_DIRECTORY_ONLY=api runs the search page's API cases only; BENCH_DIRECTORY_ONLY=read the FHIR
 * reads (by id, of each resource type, and by identifier) only.
 * The FHIR read cache is on as in production (FHIR_READ_CACHE_ENTRIES, default 50,000; 0: off). Read
 * by id is measured twice: first reads of professionals not read before (the cache misses them),
 * then the same professionals read again (from the cache), with the cache's hits and misses.
 */
/** Name prefixes as people type them: 3 to 6 letters of surnames and first names, some accented. */
export function namePrefixes(): string[] {
  const typed = ['Lefèv', 'Hélè', 'Gaëlle', 'Bénéd', 'Ménard', 'Noël', 'Séverine', 'Jérôme', "d'Alm", 'Le Gall', 'Nguy', 'Saint-Mar', 'Chloé', 'Inès'];
  const prefixes: string[] = [];
  for (let i = 0; i < 400; i++) {
    const name = i % 3 === 0 ? firstNames[(i * 7) % firstNames.length]! : surnames[(i * 13) % surnames.length]!;
    prefixes.push(name.slice(0, 3 + (i % 4)).toLowerCase());
  }
  return [...prefixes, ...typed];
}

/** The machine's 1-minute load average (the figures of a shared machine depend on it). */
export const loadAverage = () => os.loadavg()[0]!.toFixed(2);

function cycle<T>(values: T[]) {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** The FHIR reads alone (BENCH_DIRECTORY_ONLY=read): by id, of each type, and by identifier. */
async function runReads(base: string, helloUrl: string, reads: ReadCases, rppsIdentifier: () => string, roleIds: string[]) {
  const roleId = cycle(roleIds);
  const baseline = await measure('hello world (bare Fastify)', helloUrl);
  const byId = await reads.measure();
  const rows = [
    ...byId.cases,
    await measure('FHIR PractitionerRole/{id}', base, undefined, { nextPath: () => `/fhir/PractitionerRole/${roleId()}` }),
    await measure('FHIR Practitioner?identifier=system|rpps', base, undefined, {
      nextPath: () => `/fhir/Practitioner?identifier=${encodeURIComponent(`${systems.rpps}|${rppsIdentifier()}`)}`,
    }),
  ];
  printTable(baseline, rows);
  process.stdout.write(`${reads.goalLine(byId)}, load average ${loadAverage()}\n`);
  if (rows.some((r) => r.errors > 0)) throw new Error('the directory answered errors during the benchmark');
}

type Measured = Awaited<ReturnType<typeof measure>>;
interface ReadCases {
  measure(): Promise<ReadsById>;
  goalLine(byId: ReadsById): string;
}
/** The two reads by id, and hello-world measured just before and just after them (averaged). */
interface ReadsById {
  cases: [Measured, Measured];
  baseline: Measured;
}

/**
 * Read by id, twice: professionals not read before (each request another one of the walk), then
 * the last 20,000 the first case read, again: with the cache, the first are misses (a statement
 * each, coalesced) and the second hits. The cache's hits and misses are printed. The goal's ratio
 * is to hello-world measured just before and just after the two cases: the machine's pace drifts
 * by several percent over a run, and the goal line should not depend on when its baseline ran.
 */
function readCases(base: string, helloUrl: string, rpps: string[], figures: () => Promise<Record<string, number>>): ReadCases {
  let next = 0;
  return {
    async measure() {
      const helloBefore = await measure('hello world (bare Fastify)', helloUrl);
      const before = await figures();
      const first = await measure('FHIR Practitioner/{id}', base, undefined, { nextPath: () => `/fhir/Practitioner/${rpps[next++ % rpps.length]}`, distinct: true });
      const mid = await figures();
      // The last professionals the first case read (at most 20,000), again.
      const read = (first.paths ?? []).slice(-20_000);
      if (read.length === 0) throw new Error('the first reads answered nothing');
      let again = 0;
      const second = await measure('FHIR Practitioner/{id}, read again', base, undefined, { nextPath: () => read[again++ % read.length]! });
      const after = await figures();
      const share = (a: Record<string, number>, b: Record<string, number>) => {
        const hits = (b.hits ?? 0) - (a.hits ?? 0);
        const misses = (b.misses ?? 0) - (a.misses ?? 0);
        return hits + misses === 0 ? 'no cache' : `${hits} hits, ${misses} misses`;
      };
      process.stdout.write(`read cache: first reads ${share(before, mid)}; read again ${share(mid, after)} (${read.length} professionals); entries ${after.entries ?? 0}\n`);
      const helloAfter = await measure('hello world (bare Fastify)', helloUrl);
      return { cases: [first, second], baseline: meanOf(helloBefore, helloAfter) };
    },
    goalLine({ cases: [first, second], baseline }) {
      const ratio = (m: Measured) => (m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
      const busy = (m: Measured) => `${Math.round(100 * m.threadBusy)} %`;
      return (
        `${'FHIR read by id p95 / ratio to hello-world'.padEnd(44)} first read ${first.p95.toFixed(1)} ms / ${ratio(first)}, read again ${second.p95.toFixed(1)} ms / ${ratio(second)}` +
        `  goal < 5 ms / ≥ 0.3 (hello-world before and after them ${baseline.requestsPerSecond.toFixed(0)} req/s, p95 ${baseline.p95.toFixed(1)} ms)` +
        `; thread on CPU: hello-world ${busy(baseline)}, first read ${busy(first)}, read again ${busy(second)}`
      );
    },
  };
}

export async function run() {
  const hello = await startHelloWorld();
  const bench = await openPopulationBenchDatabase();
  const { db, backend } = bench.handle;
  const size = bench.sizes.directory;
  // The FHIR read cache as in production (the bench's NODE_ENV=test config has it off).
  const fhirReadCacheEntries = process.env.FHIR_READ_CACHE_ENTRIES === undefined ? 50_000 : bench.config.fhirReadCacheEntries;
  const metrics = createMetrics();
  const app = await buildApp(
    { config: { ...bench.config, fhirReadCacheEntries }, db, pglite: bench.handle.pglite, clock: systemClock, metrics },
    { logger: false },
  );
  try {
    const seeded = bench.report;
    process.stdout.write(
      `${backend}: ${seeded.directory.practitioners.toLocaleString('en')} professionals (BENCH_DIRECTORY_SIZE), ${seeded.directory.roles.toLocaleString('en')} situations, ` +
        `${seeded.reused ? 'reused' : 'generated'} (seeding took ${seeded.seedSeconds.toFixed(1)} s), load average ${loadAverage()}\n`,
    );
    const base = await listenLocally(app);

    // Spread over the whole population (a multiplicative walk), not the first rows only.
    const rpps = Array.from({ length: 20_000 }, (_, i) => seededRpps((i * 7919) % size));
    const prefixes = namePrefixes();
    // Read by id: a walk of its own, long enough that the first case reads no one twice (the
    // checks below read the first ones of `rpps`).
    const walk = Array.from({ length: Math.min(size, 400_000) }, (_, i) => seededRpps((i * 7919 + 3) % size));
    const reads = readCases(base, hello.url, walk, () => readCacheFigures(metrics.registry));
    const rppsIdentifier = cycle(rpps);
    const prefix = cycle(prefixes);
    const prefixNoTotal = cycle(prefixes);
    const prefixEstimate = cycle(prefixes);
    const prefixAccurate = cycle(prefixes);
    const apiPrefix = cycle(prefixes);

    // The cases must find what they look for, or they would measure empty answers.
    const check = async (path: string, found: (body: { total?: number }) => boolean) => {
      const res = await fetch(`${base}${path}`);
      const body = (await res.json()) as { total?: number };
      if (!res.ok || !found(body)) throw new Error(`${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    };
    await check(`/fhir/Practitioner?identifier=${encodeURIComponent(`${systems.rpps}|${rpps[1]}`)}`, (b) => b.total === 1);
    await check(`/fhir/Practitioner/${rpps[2]}`, () => true);
    await check(`/fhir/Practitioner?name=mart&_total=estimate`, (b) => (b.total ?? 0) > 1000);
    await check(`/api/directory/practitioners?q=mart`, (b) => (b.total ?? 0) > 0);

    if (process.env.BENCH_DIRECTORY_ONLY === 'read') {
      const roles = await db.selectFrom('directoryPractitionerRole').select('id').where('rpps', 'in', rpps.slice(0, 2000)).execute();
      return await runReads(base, hello.url, reads, rppsIdentifier, roles.map((r) => r.id));
    }

    // Deep pages (the 40th of 25): by OFFSET (the legacy `page`) and by keyset cursor (`after`),
    // for prefixes with at least 1,000 matches; each cursor is the `next` of page 39.
    const deep: { prefix: string; cursor: string }[] = [];
    for (const p of prefixes) {
      if (deep.length >= 40) break;
      const res = await fetch(`${base}/api/directory/practitioners?q=${encodeURIComponent(p)}&pageSize=25&page=39`);
      const body = (await res.json()) as { next?: string | null };
      if (res.ok && body.next) deep.push({ prefix: p, cursor: body.next });
    }
    if (deep.length === 0) throw new Error('no prefix has 40 pages of matches: raise BENCH_DIRECTORY_SIZE');
    const deepOffset = cycle(deep);
    const deepKeyset = cycle(deep);
    const apiOnly = process.env.BENCH_DIRECTORY_ONLY === 'api';

    const baseline = await measure('hello world (bare Fastify)', hello.url);
    const api = [
      await measure('API /api/directory/practitioners?q=<prefix>', base, undefined, {
        nextPath: () => `/api/directory/practitioners?q=${encodeURIComponent(apiPrefix())}`,
      }),
      await measure('API same, 40th page by OFFSET (page=40)', base, undefined, {
        nextPath: () => `/api/directory/practitioners?q=${encodeURIComponent(deepOffset().prefix)}&pageSize=25&page=40`,
      }),
      await measure('API same, 40th page by keyset (after=)', base, undefined, {
        nextPath: () => {
          const d = deepKeyset();
          return `/api/directory/practitioners?q=${encodeURIComponent(d.prefix)}&pageSize=25&after=${encodeURIComponent(d.cursor)}`;
        },
      }),
    ];
    let byId: ReadsById | undefined;
    let rows = api;
    if (!apiOnly) {
      const identifier = await measure('FHIR Practitioner?identifier=system|rpps', base, undefined, {
        nextPath: () => `/fhir/Practitioner?identifier=${encodeURIComponent(`${systems.rpps}|${rppsIdentifier()}`)}`,
      });
      byId = await reads.measure();
      const names = [
        await measure('FHIR Practitioner?name=<prefix>', base, undefined, {
          nextPath: () => `/fhir/Practitioner?name=${encodeURIComponent(prefix())}`,
        }),
        await measure('FHIR Practitioner?name=<prefix>&_total=none', base, undefined, {
          nextPath: () => `/fhir/Practitioner?name=${encodeURIComponent(prefixNoTotal())}&_total=none`,
        }),
        await measure('FHIR Practitioner?name=<prefix>&_total=estimate', base, undefined, {
          nextPath: () => `/fhir/Practitioner?name=${encodeURIComponent(prefixEstimate())}&_total=estimate`,
        }),
        // The exact count of every match of the prefix, on request only.
        await measure('FHIR Practitioner?name=<prefix>&_total=accurate', base, undefined, {
          nextPath: () => `/fhir/Practitioner?name=${encodeURIComponent(prefixAccurate())}&_total=accurate`,
        }),
      ];
      rows = [identifier, ...byId.cases, ...names, ...api];
    }
    printTable(baseline, rows);
    if (byId) {
      const name = rows.find((r) => r.name === 'FHIR Practitioner?name=<prefix>')!;
      process.stdout.write(
        `${reads.goalLine(byId)}\n` +
          `${'FHIR name search, default _total, p95'.padEnd(44)} ${name.p95.toFixed(1)} ms  goal < 50 ms (ratio ${(name.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)})\n`,
      );
    }
    process.stdout.write(`${'public search API p95, page 1 / 40th by keyset'.padEnd(44)} ${api[0]!.p95.toFixed(1)} / ${api[2]!.p95.toFixed(1)} ms  goal < 50 ms (40th by OFFSET: ${api[1]!.p95.toFixed(1)} ms), ${size.toLocaleString('en')} professionals, load average ${loadAverage()}\n`);
    if (rows.some((r) => r.errors > 0)) throw new Error('the directory answered errors during the benchmark');
  } finally {
    await app.close();
    await hello.close();
    await bench.close();
  }
}
