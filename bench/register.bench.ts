import os from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/server/app.ts';
import { upsertAccount } from '../src/server/auth/accounts.ts';
import { pscSubject } from '../src/server/dev-idp/identities.ts';
import { systemClock } from '../src/server/context.ts';
import { createRegisterService } from '../src/server/modules/register/service.ts';
import { registration, scope } from '../src/server/modules/register/testing.ts';
import { firstNames, surnames } from './person-population.ts';
import { benchIdentityBlock, openPopulationBenchDatabase } from './population.ts';
import { benchRegistration, timed, wizard } from './register-load.ts';
import { Worker } from 'node:worker_threads';

/**
 * The register's two hot paths, each next to a baseline measured in the same run on the same
 * database (a transaction doing SELECT 1), so the ratios hold whatever the machine:
 * - registrations per second through the service (validation, duplicate check, number
 *   allocation, person + situation + history + audit + event in one transaction);
 * - registrations per second through the HTTP API as the wizard does them (a signed-in
 *   gestionnaire over a real socket: draft, the 4 steps, the ID document upload, submit: 7
 *   requests each), next to an HTTP baseline (GET /api/session, which reads the session);
 * - duplicate-check latency (p95) on the generated national population (bench/population.ts:
 *   3,000,000 persons on PostgreSQL, 300,000 on PGlite; BENCH_PERSONS overrides), seeded once and
 *   reused by later runs.
 */
/**
 * Statements sent to the database (both backends go through node-postgres' Client): counted
 * around one registration done alone, a figure the machine's load does not change.
 */
let statements = 0;
const clientQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (clientQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof clientQuery;
async function countStatements(op: () => Promise<unknown>) {
  const before = statements;
  await op();
  return statements - before;
}

export async function run() {
  const bench = await openPopulationBenchDatabase();
  const { db } = bench.handle;
  const backend = bench.handle.backend;
  const persons = bench.sizes.persons;
  const registrations = Number(process.env.BENCH_REGISTRATIONS ?? 300);
  const apiRegistrations = Number(process.env.BENCH_API_REGISTRATIONS ?? 500);
  const service = createRegisterService({ db, clock: systemClock, config: bench.config });
  // BENCH_REGISTER_ONLY=service: the SELECT 1 baseline and the service's registrations alone (profiles, pairs).
  const serviceOnly = process.env.BENCH_REGISTER_ONLY === 'service';

  try {
    // Past the identities of earlier runs on this database (bench_run_seq: the blocks of the first version).
    // Untimed warm-ups: BENCH_REGISTER_WARMUP registrations through the service, a fifth as many wizards.
    const warmup = Number(process.env.BENCH_REGISTER_WARMUP ?? 100);
    const wizardWarmup = Math.ceil(warmup / 5);
    const first = 1_000_000 + (await benchIdentityBlock(db, registrations + apiRegistrations + warmup + wizardWarmup));
    // Identities: service [first, +registrations), wizards [then, +apiRegistrations), service warm-up, wizard warm-up.
    const wizardPeople = { first: first + registrations, warmupFirst: first + registrations + apiRegistrations + warmup, warmup: wizardWarmup };
    process.stdout.write(`${persons.toLocaleString('en')} persons on ${backend} (${bench.report.reused ? 'reused' : 'generated'}), load average ${os.loadavg()[0]!.toFixed(2)}\n`);

    if (process.env.BENCH_REGISTER_ONLY === 'wizard') {
      // The HTTP wizard alone (profiles, before/after pairs): its line and its HTTP baseline.
      const api = await measureApi(bench, apiRegistrations, wizardPeople);
      const ratio = (api.registering.perSecond / api.baseline.perSecond).toFixed(3);
      process.stdout.write(`HTTP wizard (10 parallel clients) ${api.registering.perSecond.toFixed(1)}/s p50 ${api.registering.p50.toFixed(1)} ms p95 ${api.registering.p95.toFixed(1)} ms; baseline GET /api/session ${api.baseline.perSecond.toFixed(0)}/s, ratio ${ratio}; Node CPU ${api.nodeMsPerWizard.toFixed(1)} ms per wizard (server thread ${api.serverMsPerWizard.toFixed(1)} ms); statements ${api.statements.total} (${api.statements.steps.join(' + ')}); load average ${os.loadavg()[0]!.toFixed(2)}\n`);
      return;
    }
    // The service warmed as in a running instance (BENCH_REGISTER_WARMUP registrations, untimed): each
    // pooled connection prepares its statements, the referential is read into memory, V8 compiles the
    // hot paths. Without it, 300 timed registrations (under a second) measured mostly that start.
    await timed(warmup, 10, (i) => service.registerProfessional({ id: 'bench', kind: 'bench' }, scope, benchRegistration(first + registrations + apiRegistrations + i)));
    const baseline = await timed(2000, 10, () => db.transaction().execute((trx) => sql`SELECT 1`.execute(trx)));
    if (serviceOnly) {
      const cpu = process.cpuUsage();
      const registering = await timed(registrations, 10, (i) => service.registerProfessional({ id: 'bench', kind: 'bench' }, scope, benchRegistration(first + i)));
      const used = process.cpuUsage(cpu);
      const ratio = (registering.perSecond / baseline.perSecond).toFixed(3);
      process.stdout.write(
        `registerProfessional ${registering.perSecond.toFixed(1)}/s (p50 ${registering.p50.toFixed(1)} ms, p95 ${registering.p95.toFixed(1)} ms)  goal ≥ 500/s  baseline SELECT 1 transaction ${baseline.perSecond.toFixed(0)}/s, ratio ${ratio}; Node CPU ${((used.user + used.system) / 1000 / registrations).toFixed(3)} ms per registration; load average ${os.loadavg()[0]!.toFixed(2)}\n`,
      );
      return;
    }
    const probes = 500;
    const duplicateCheck = await timed(probes, 4, (i) =>
      service.checkDuplicates(
        registration(i, {
          etatCivil: {
            birthName: surnames[(i * 7) % surnames.length]!,
            firstNames: [firstNames[(i * 3) % firstNames.length]!],
            birthDate: new Date(Date.UTC(1950, 0, 1) + ((i * 37) % 18262) * 86_400_000).toISOString().slice(0, 10),
          },
        }).etatCivil,
        scope,
      ),
    );
    const registering = await timed(registrations - 1, 10, (i) => service.registerProfessional({ id: 'bench', kind: 'bench' }, scope, benchRegistration(first + i)));
    const serviceStatements = await countStatements(() => service.registerProfessional({ id: 'bench', kind: 'bench' }, scope, benchRegistration(first + registrations - 1)));
    const checkStatements = await countStatements(() => service.checkDuplicates(benchRegistration(first).etatCivil, scope));
    const api = await measureApi(bench, apiRegistrations, wizardPeople);

    const fmt = (n: number) => n.toFixed(1).padStart(10);
    process.stdout.write(`${'case'.padEnd(58)} ${'ops/s'.padStart(10)} ${'p50 ms'.padStart(10)} ${'p95 ms'.padStart(10)} ${'ratio'.padStart(7)}\n`);
    for (const [name, m] of [
      [`baseline: transaction with SELECT 1 (${backend})`, baseline],
      [`duplicate check, ${persons.toLocaleString('en')} persons (${backend})`, duplicateCheck],
      [`registerProfessional, ${registrations} registrations (${backend})`, registering],
      [`HTTP baseline: GET /api/session (${backend})`, api.baseline],
      [`HTTP wizard, ${api.count} registrations, 7 requests each (${backend})`, api.registering],
    ] as const) {
      process.stdout.write(`${name.padEnd(58)} ${fmt(m.perSecond)} ${fmt(m.p50)} ${fmt(m.p95)} ${(m.perSecond / baseline.perSecond).toFixed(3).padStart(7)}\n`);
    }
    // Issue 18's goals, each beside its same-run baseline.
    const ratio = (m: { perSecond: number }, b: { perSecond: number }) => (m.perSecond / b.perSecond).toFixed(3);
    for (const [name, value, goal, base] of [
      ['registerProfessional', `${registering.perSecond.toFixed(1)}/s`, '≥ 500/s', `baseline SELECT 1 transaction ${baseline.perSecond.toFixed(0)}/s, ratio ${ratio(registering, baseline)}`],
      ['HTTP wizard (10 parallel clients)', `${api.registering.perSecond.toFixed(1)}/s`, '≥ 100/s', `baseline GET /api/session ${api.baseline.perSecond.toFixed(0)}/s, ratio ${ratio(api.registering, api.baseline)}`],
      [`duplicate check p95, ${persons.toLocaleString('en')} persons`, `${duplicateCheck.p95.toFixed(1)} ms`, '< 20 ms', `p50 ${duplicateCheck.p50.toFixed(1)} ms; baseline SELECT 1 transaction p95 ${baseline.p95.toFixed(1)} ms`],
    ] as const) {
      process.stdout.write(`${name.padEnd(44)} ${value.padStart(10)}  goal ${goal.padEnd(8)} ${base}\n`);
    }
    process.stdout.write(
      `statements to the database: duplicate check ${checkStatements}, registerProfessional ${serviceStatements}, HTTP wizard ${api.statements.total} (${api.statements.steps.join(' + ')}; the requests in order)\n`,
    );
  } finally {
    await bench.close();
  }
}

/**
 * Registrations through the HTTP API, on a real socket, as a signed-in gestionnaire of the demo
 * EJ (session opened in the store: the sign-in walk is not what is measured), with the session
 * cache of production (5 s, kept while the instance listens to the change notifications).
 */
async function measureApi(bench: Awaited<ReturnType<typeof openPopulationBenchDatabase>>, count: number, people: { first: number; warmupFirst: number; warmup: number }) {
  const { db } = bench.handle;
  // The session cache as in production (SESSION_CACHE_SECONDS defaults to 5; the benchmarks'
  // NODE_ENV=test turns it off). One account drives every wizard: its hourly budget of identity
  // checks (IDENTITY_CHECKS_PER_HOUR, 2,000) would refuse runs after a few, so it is lifted here.
  const config = {
    ...bench.config,
    auth: { ...bench.config.auth, sessionCacheMs: 5_000 },
    identityChecks: { ...bench.config.identityChecks, perHour: 1_000_000 },
  };
  const app = await buildApp({ config, db, clock: systemClock }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const address = app.server.address();
    const base = typeof address === 'object' && address ? `http://127.0.0.1:${address.port}` : '';
    const idnps = '810001111227';
    const account = await upsertAccount(db, { provider: 'psc', subject: pscSubject(idnps), idnps, familyName: 'BENCH', givenName: 'Bench' }, new Date());
    const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
    const headers = { cookie: `${app.auth.cookies.session}=${session.token}`, 'x-csrf-token': session.csrfToken };
    const baseline = await timed(1000, 10, async () => {
      const res = await fetch(`${base}/api/session`, { headers });
      if (!res.ok) throw new Error(`session: ${res.status}`);
      await res.arrayBuffer();
    });
    // The 10 clients on their own thread (bench/wizard-load.ts), after `people.warmup` untimed wizards.
    const worker = new Worker(new URL('./wizard-load.ts', import.meta.url), {
      workerData: { base, headers, first: people.first, warmupFirst: people.warmupFirst, warmup: people.warmup, count: count - 1 },
    });
    let cpuBefore = process.cpuUsage();
    let serverCpuBefore = process.threadCpuUsage();
    const registering = await new Promise<Awaited<ReturnType<typeof timed>>>((resolve, reject) => {
      worker.on('message', (m: { warm?: true } & Awaited<ReturnType<typeof timed>>) => {
        if (m.warm) {
          cpuBefore = process.cpuUsage();
          serverCpuBefore = process.threadCpuUsage();
        }
        else resolve(m);
      });
      worker.once('error', reject);
    });
    const serverCpu = process.threadCpuUsage(serverCpuBefore);
    await worker.terminate();
    const cpu = process.cpuUsage(cpuBefore);
    /** Node CPU (the server's thread and the clients' thread, one process) per wizard: a figure the load changes less. */
    const nodeMsPerWizard = (cpu.user + cpu.system) / 1000 / (count - 1);
    /** Of which the server's thread (the app; the clients run on the other). */
    const serverMsPerWizard = (serverCpu.user + serverCpu.system) / 1000 / (count - 1);
    // The last one alone, its statements counted request by request (jobs workers off: only the requests' own).
    const steps: number[] = [];
    await wizard(base, headers, people.first + count - 1, async (op) => steps.push(await countStatements(op)));
    return { count, baseline, registering, nodeMsPerWizard, serverMsPerWizard, statements: { total: steps.reduce((a, b) => a + b, 0), steps } };
  } finally {
    await app.close();
  }
}
