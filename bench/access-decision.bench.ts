import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import Fastify from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { createApiKeyService } from '../src/server/auth/api-keys.ts';
import { systemClock } from '../src/server/context.ts';
import { createRegisterService } from '../src/server/modules/register/service.ts';
import { distinctRegistration } from '../src/server/modules/register/testing.ts';
import { measure, openScratchBenchDatabase, printTable, type Measure } from './support.ts';

const persons = Number(process.env.BENCH_PERSONS ?? 200);
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
/**
 * BENCH_CPU_PROFILE=<file>: a V8 CPU profile of the single-decision load only (open it in Chrome
 * DevTools); BENCH_CPU_PROFILE_BATCH=<file>: the same of the batch load.
 */
const profileFile = process.env.BENCH_CPU_PROFILE;
const batchProfileFile = process.env.BENCH_CPU_PROFILE_BATCH;

/** Runs `work` under the V8 profiler when `file` is given. */
async function profiled<T>(file: string | undefined, work: () => Promise<T>): Promise<T> {
  if (!file) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    fs.writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * Statements sent to the database (every pg client's `query`, PostgreSQL pool and PGlite alike):
 * statements per decision do not move with the machine's load, decisions/s do.
 */
let statements = 0;
const clientQuery = pg.Client.prototype.query;
function countStatements() {
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof clientQuery;
  return () => {
    pg.Client.prototype.query = clientQuery;
  };
}

/** A POST load with autocannon, measured like `measure` (requests/s, p50, p95). */
function measurePost(name: string, url: string, body: object, key: string): Promise<Measure> {
  return measure(name, url, seconds, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
}

/**
 * Access decisions (issue 9, acceptance 3): decisions/s through POST /api/access-decisions (one
 * question per call) and /batch (1,000 questions per call), each as a ratio of a bare Fastify
 * hello-world served by this process in the same run.
 */
export async function run() {
  const hello = Fastify();
  hello.get('/hello', async () => ({ hello: 'world' }));
  await hello.listen({ port: 0, host: '127.0.0.1' });

  const bench = await openScratchBenchDatabase();
  const db = bench.handle.db;
  const register = createRegisterService({ db, clock: systemClock, config: bench.config });
  const rpps: string[] = [];
  const actor = { id: 'bench', kind: 'job' };
  const roles = ['GENR08', 'GENR09', 'GENR10', 'GENR11', 'GENR12'];
  for (let n = 0; n < persons; n++) {
    const input = distinctRegistration(n);
    const r = await register.registerProfessional(actor, 'all', {
      ...input,
      situation: { ...input.situation, roleCode: roles[n % roles.length]!, startDate: '2026-01-05' },
    });
    rpps.push(r.rpps);
  }
  const { key } = await createApiKeyService({ db, clock: systemClock }).create({ name: 'bench', scopes: ['access:decide'] });

  const app = await buildApp({ config: bench.config, db, clock: systemClock }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (server: { server: import('node:http').Server }) => {
    const address = server.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };
  const docs = ['cr_consult', 'll_sortie_sms', '11490-0', 'dlu'];
  const questions = Array.from({ length: 1000 }, (_, i) => ({ professional: rpps[i % rpps.length]!, documentType: docs[i % docs.length]! }));

  try {
    const baseline = await measure('hello world (bare Fastify)', `${base(hello)}/hello`);
    const audited = () => db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).where('action', '=', 'access.decide').executeTakeFirstOrThrow();
    const auditedBefore = Number((await audited()).n);
    const stopCounting = countStatements();
    const cpuBefore = process.cpuUsage();
    const statementsBefore = statements;
    const single = await profiled(profileFile, () => measurePost(`POST /api/access-decisions (${bench.handle.backend})`, `${base(app)}/api/access-decisions`, questions[0]!, key));
    const cpu = process.cpuUsage(cpuBefore);
    const singleStatements = statements - statementsBefore;
    const auditedSingle = Number((await audited()).n) - auditedBefore;
    const batchCpuBefore = process.cpuUsage();
    const batchStatementsBefore = statements;
    const batch = await profiled(batchProfileFile, () =>
      measurePost(`POST /api/access-decisions/batch ×1000 (${bench.handle.backend})`, `${base(app)}/api/access-decisions/batch`, { questions }, key),
    );
    const batchCpu = process.cpuUsage(batchCpuBefore);
    const batchStatements = statements - batchStatementsBefore;
    stopCounting();
    printTable(baseline, [single, batch]);
    const line = (name: string, perSecond: number) =>
      process.stdout.write(`${name.padEnd(44)} ${perSecond.toFixed(0).padStart(9)} decisions/s  ratio to hello-world ${(perSecond / baseline.requestsPerSecond).toFixed(2)}\n`);
    line('decisions/s, single (goal ≥ 2,000)', single.requestsPerSecond);
    // CPU time of this process (server and load generator) per answered decision: steadier than
    // decisions/s on a loaded machine, where the process mostly waits for the CPU or the database.
    process.stdout.write(`${'Node CPU per single decision (server + client)'.padEnd(44)} ${((cpu.user + cpu.system) / 1000 / single.answered).toFixed(3).padStart(9)} ms\n`);
    process.stdout.write(`${'statements per single decision'.padEnd(44)} ${(singleStatements / single.answered).toFixed(2).padStart(9)}\n`);
    process.stdout.write(`${'audit rows of single decisions'.padEnd(44)} ${String(auditedSingle).padStart(9)} for ${single.answered} answered (none may be missing)\n`);
    if (auditedSingle < single.answered) throw new Error('an answered decision has no audit row');
    line('decisions/s, batch of 1,000', batch.requestsPerSecond * 1000);
    process.stdout.write(`${'statements per batch of 1,000'.padEnd(44)} ${(batchStatements / batch.answered).toFixed(2).padStart(9)}\n`);
    process.stdout.write(`${'Node CPU per batch of 1,000 (server + client)'.padEnd(44)} ${((batchCpu.user + batchCpu.system) / 1000 / batch.answered).toFixed(3).padStart(9)} ms\n`);
    if (single.errors > 0 || batch.errors > 0) throw new Error('access decisions answered errors during the benchmark');
  } finally {
    await app.close();
    await hello.close();
    await bench.close();
  }
}
