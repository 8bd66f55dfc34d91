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
  /** Answers with a 2xx status. */
  answered: number;
}

/**
 * Load with autocannon; p95 is computed from every response time (autocannon reports no p95).
 * `nextPath` varies the request: each request asks for its result (path and query), e.g. another
 * RPPS number each time, so the cases do not measure one cached row. `method` and `body` send
 * another request than a GET (the same body every time).
 * Each case, the baseline included, first runs unmeasured for BENCH_WARMUP_SECONDS (default 1) with
 * the same requests: the figures are those of a running server, not of code V8 has yet to
 * optimize (a case measured cold lost up to a tenth of its rate: docs/performance.md, "Sixth round").
 */
export async function measure(
  name: string,
  url: string,
  seconds = Number(process.env.BENCH_SECONDS ?? 5),
  options: { nextPath?: () => string; headers?: Record<string, string>; method?: autocannon.Request['method']; body?: string } = {},
): Promise<Measure> {
  const times: number[] = [];
  const { nextPath } = options;
  const requests = nextPath ? [{ setupRequest: (request: autocannon.Request) => ({ ...request, path: nextPath() }) }] : undefined;
  const load = (duration: number, onResponse?: (responseTime: number) => void) =>
    new Promise<autocannon.Result>((resolve, reject) => {
      const { headers, method = 'GET', body } = options;
      const instance = autocannon({ url, connections: 10, duration, requests, headers, method, ...(body === undefined ? {} : { body }) }, (err, res) =>
        err ? reject(err) : resolve(res),
      );
      if (onResponse) instance.on('response', (_client, _status, _bytes, responseTime) => onResponse(responseTime));
    });
  const warmup = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);
  if (warmup > 0) await load(warmup);
  const started = performance.now();
  const cpu = process.threadCpuUsage();
  const result = await load(seconds, (responseTime) => times.push(responseTime));
  const used = process.threadCpuUsage(cpu);
  const threadBusy = (used.user + used.system) / 1000 / (performance.now() - started);
  times.sort((a, b) => a - b);
  const pct = (p: number) => percentile(times, p);
  return {
    name,
    requestsPerSecond: result.requests.average,
    p50: pct(50),
    p95: pct(95),
    errors: result.errors + result.non2xx,
    threadBusy,
    answered: result['2xx'],
  };
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

export function printTable(baseline: Measure, rows: Measure[]) {
  const fmt = (n: number) => n.toFixed(1).padStart(9);
  process.stdout.write(`${'case'.padEnd(44)} ${'req/s'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'ratio'.padStart(7)} errors\n`);
  for (const m of [baseline, ...rows]) {
    const ratio = (m.requestsPerSecond / baseline.requestsPerSecond).toFixed(2);
    process.stdout.write(`${m.name.padEnd(44)} ${fmt(m.requestsPerSecond)} ${fmt(m.p50)} ${fmt(m.p95)} ${ratio.padStart(7)} ${m.errors}\n`);
  }
}
