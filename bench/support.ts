import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { type Config, loadConfig } from '../src/server/config.ts';
import { loadDemoData } from '../src/server/demo.ts';
import { openRuntimeDatabase } from '../src/server/runtime.ts';
import { dropDatabase } from '../tests/support/drop-database.ts';

/** The p-th percentile of ascending `sorted` values (NaN when empty). */
export const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export interface Measure {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  errors: number;
  /**
   * Share of the measured seconds this thread (server and autocannon) was on a CPU. Under 1 with
   * the clients always waiting on an answer, the case waits on something else (PostgreSQL).
   */
  threadBusy: number;
  /**
   * Answers with a 2xx status over the whole call, its warm-up and the answers that arrived after
   * the measured seconds included: what the call caused (rows written, statements, CPU time) divides by it.
   */
  answered: number;
  /** With `nextPath`: the paths answered in the measured seconds, in the order `nextPath` made them. */
  paths?: string[];
}

/** Clients of every load: each waits for its answer before it asks again (autocannon's default). */
const connections = 10;

type LoadOptions = { nextPath?: () => string; distinct?: boolean; headers?: Record<string, string>; method?: autocannon.Request['method']; body?: string };

/**
 * Load with autocannon; p95 is computed from every response time (autocannon reports no p95).
 * `nextPath` varies the request: each request asks for its result (path and query), e.g. another
 * RPPS number each time, so the cases do not measure one cached row. A client whose requests run
 * out starts its list again, unless `distinct` (no path may be asked twice): then the bench fails.
 * `method` and `body` send another request than a GET (the same body every time).
 * Each case, the baseline included, first runs unmeasured for BENCH_WARMUP_SECONDS (default 1) with
 * the same requests: the figures are those of a running server, not of code V8 has yet to
 * optimize (a case measured cold lost up to a tenth of its rate: docs/performance.md, "Sixth round").
 */
export async function measure(name: string, url: string, seconds = Number(process.env.BENCH_SECONDS ?? 5), options: LoadOptions = {}): Promise<Measure> {
  const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
  // Requests made beforehand for varying cases: enough for this rate (the warm-up's, with a margin:
  // the first second can be the slowest, with the database's pages and the code still cold). Each
  // built request weighs a few hundred bytes, kept until the case ends: lists far too long would
  // measure the garbage collector.
  let rate = 50_000;
  let warmupAnswered = 0;
  if (warmup > 0) {
    const warm = await load(url, warmup, options, rate);
    // Where no path may be asked twice, at least 20,000/s: a warm-up on a cold database is slow.
    rate = Math.max(1.5 * warm.requestsPerSecond, options.distinct ? 20_000 : 0);
    warmupAnswered = warm.answered;
  }
  const measured = await load(url, seconds, options, rate);
  return { name, ...measured, answered: warmupAnswered + measured.answered };
}

/**
 * One load of `seconds`: each client is an autocannon instance of one connection, whose requests
 * are all built before the measured seconds start. Built on the fly (autocannon's `setupRequest`),
 * a varying request cost the clients ~7 µs on the server's thread, which hello-world's one request
 * built once never pays: 8 % of a first FHIR read's time (docs/performance.md, "Seventh round").
 * Path k of client c is the (k × clients + c)-th `nextPath()`, so the paths answered are, in the
 * order they were asked for, close to the order of `nextPath()`.
 */
async function load(url: string, seconds: number, options: LoadOptions, expectedRate: number): Promise<Omit<Measure, 'name'>> {
  const { nextPath, headers, method = 'GET', body } = options;
  const perClient = nextPath ? Math.ceil((expectedRate * seconds) / connections) + 200 : 1;
  const lists: { path: string }[][] = Array.from({ length: connections }, () => []);
  if (nextPath) for (let k = 0; k < perClient; k++) for (const list of lists) list.push({ path: nextPath() });
  const times: number[] = [];
  const counts = lists.map(() => 0);
  let failed = 0;
  let answered = 0;
  let measuring = false;
  const instances: autocannon.Instance[] = [];
  const results = lists.map(
    (list, c) =>
      new Promise<autocannon.Result>((resolve, reject) => {
        const requests = nextPath ? list : undefined;
        // The instances are stopped below, after `seconds`; this duration is only a bound.
        const instance = autocannon({ url, connections: 1, duration: seconds + 60, requests, headers, method, ...(body === undefined ? {} : { body }) }, (err, res) =>
          err ? reject(err) : resolve(res),
        );
        instance.on('response', (_client, status, _bytes, responseTime) => {
          if (status >= 200 && status <= 299) answered++;
          if (!measuring) return;
          counts[c]!++;
          times.push(responseTime);
          if (status < 200 || status > 299) failed++;
        });
        instances.push(instance);
      }),
  );
  measuring = true;
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  measuring = false;
  const used = process.threadCpuUsage(cpu);
  const elapsed = performance.now() - started;
  for (const instance of instances) instance.stop();
  const ended = await Promise.all(results);
  if (options.distinct && counts.some((n) => n >= perClient)) {
    throw new Error(`a client used up its ${perClient} distinct requests: the load was faster than ${expectedRate.toFixed(0)} requests/s`);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => percentile(times, p);
  return {
    requestsPerSecond: (1000 * times.length) / elapsed,
    p50: pct(50),
    p95: pct(95),
    errors: failed + ended.reduce((sum, r) => sum + r.errors, 0),
    threadBusy: (used.user + used.system) / 1000 / elapsed,
    answered,
    ...(nextPath ? { paths: answeredPaths(lists, counts) } : {}),
  };
}

/** The paths the clients had answered, in the order `nextPath` made them. */
function answeredPaths(lists: { path: string }[][], counts: number[]): string[] {
  const paths: string[] = [];
  for (let k = 0; k < Math.max(...counts); k++) lists.forEach((list, c) => k < counts[c]! && paths.push(list[k % list.length]!.path));
  return paths;
}

/** Listens on a free local port; returns the base URL (http://127.0.0.1:port). */
export async function listenLocally(server: FastifyInstance): Promise<string> {
  await server.listen({ port: 0, host: '127.0.0.1' });
  const address = server.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

/** The baseline of the HTTP benchmarks: a bare Fastify hello-world served by this process. */
export async function startHelloWorld() {
  const hello = Fastify();
  hello.get('/hello', async () => ({ hello: 'world' }));
  const url = `${await listenLocally(hello)}/hello`;
  return { url, close: () => hello.close() };
}

/** A migrated database with the demo data, on PGlite in a temp dir or on DATABASE_URL. */
export async function openBenchDatabase() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-bench-'));
  // The public rate limit runs (its cost is measured) but one load generator must not hit it.
  const config = loadConfig({
    RATE_LIMIT_PUBLIC_PER_MINUTE: '1000000',
    RATE_LIMIT_MACHINE_PER_MINUTE: '1000000',
    ...process.env,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
  });
  return openMigrated(config, async () => fs.rmSync(dataDir, { recursive: true, force: true }));
}

/** Opens (and migrates) the database of `config`, loads the demo data; `cleanup` runs after close. */
async function openMigrated(config: Config, cleanup: () => Promise<void>) {
  const handle = await openRuntimeDatabase(config);
  await loadDemoData(handle.db);
  return {
    config,
    handle,
    async close() {
      await handle.close();
      await cleanup();
    },
  };
}

/**
 * Like openBenchDatabase, but on PostgreSQL a throw-away database (created beside DATABASE_URL's
 * and dropped on close): a generated population of a million rows must not stay in it. On PGlite
 * the temp directory of openBenchDatabase already is one.
 */
export async function openScratchBenchDatabase() {
  const bench = await openBenchDatabase();
  if (!bench.config.databaseUrl) return bench;
  await bench.close();
  const name = `rpps_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: bench.config.databaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(bench.config.databaseUrl);
  url.pathname = `/${name}`;
  return openMigrated({ ...bench.config, databaseUrl: url.toString() }, async () => {
    await dropDatabase(admin, name, { attempts: 30, delayMs: 2000 });
    await admin.end();
  });
}

/** Two measures of one case as one: mean rate and CPU share, the worse p50 and p95. */
export function meanOf(a: Measure, b: Measure): Measure {
  return {
    name: a.name,
    requestsPerSecond: (a.requestsPerSecond + b.requestsPerSecond) / 2,
    p50: Math.max(a.p50, b.p50),
    p95: Math.max(a.p95, b.p95),
    errors: a.errors + b.errors,
    threadBusy: (a.threadBusy + b.threadBusy) / 2,
    answered: a.answered + b.answered,
  };
}

export function printTable(baseline: Measure, rows: Measure[]) {
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  process.stdout.write(`${'case'.padEnd(44)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'ratio'.padStart(7)} errors\n`);
  for (const m of [baseline, ...rows]) {
    const ratio = (m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
    process.stdout.write(`${m.name.padEnd(44)} ${fmt(m.requestsPerSecond)} ${fmt(m.p50)} ${fmt(m.p95)} ${ratio.padStart(7)} ${m.errors}\n`);
  }
}
