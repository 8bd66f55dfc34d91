import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/context.ts';
import { createBackground } from '../src/server/jobs/background.ts';
import { silentLogger } from '../src/server/jobs/index.ts';
import { createRegisterService } from '../src/server/modules/register/service.ts';
import { actor, distinctRegistration, scope } from '../src/server/modules/register/testing.ts';
import { type ReceivedMail, startSmtp, stopSmtp } from '../tests/support/smtp.ts';
import { openBenchDatabase } from './support.ts';

/**
 * The latency goals of the validation of a registration (issues 6, 8, 9), measured here rather
 * than asserted by tests (docs/testing.md): from the commit of the validation to
 * - the registration e-mail handed to the SMTP server (an in-process one, as SMTP_URL),
 * - the professional visible in the public directory (`/api/directory/practitioners/:rpps`)
 *   and in FHIR (`/fhir/Practitioner?identifier=`), whichever comes last,
 * - his e-CPS activable (`POST /api/ecps/activation/code` answers 200),
 * each with a goal of 2 s at p95. The server runs every background job and watcher as
 * `npm start` does (src/server/jobs/background.ts). The baseline, measured in the same run on the
 * same database, is the validation itself (the registration transaction the gestionnaire waits
 * for): the ratio says how many validations long the outcome takes, whatever the machine.
 * `BENCH_PUBLICATION_SAMPLES` (default 30) registrations, one after the other.
 */
const goalMs = 2000;
const pollMs = 10;

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` every 10 ms; resolves with the elapsed ms since `from` when it holds (fails after 60 s). */
async function reached(from: number, what: string, probe: () => Promise<boolean> | boolean): Promise<number> {
  for (;;) {
    if (await probe()) return performance.now() - from;
    if (performance.now() - from > 60_000) throw new Error(`${what}: not reached after 60 s`);
    await sleep(pollMs);
  }
}

export async function run() {
  const samples = Number(process.env.BENCH_PUBLICATION_SAMPLES ?? 30);
  const received: ReceivedMail[] = [];
  const smtp = await startSmtp(received);
  const bench = await openBenchDatabase();
  const config = { ...bench.config, smtpUrl: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, jobsWorker: true };
  const background = createBackground(config, bench.handle, systemClock);
  await background.start(silentLogger);
  const app = await buildApp({ config, db: bench.handle.db, clock: systemClock, jobs: background.jobs, mail: background.mail }, { logger: false });
  // As the register routes build it: the mail and the identity check commit with the registration.
  const register = createRegisterService({ db: bench.handle.db, clock: systemClock, config, mail: background.mail, jobs: background.jobs });
  const get = (url: string) => app.inject({ method: 'GET', url });

  const times = { validation: [] as number[], mail: [] as number[], directory: [] as number[], ecps: [] as number[] };
  try {
    for (let i = 0; i < samples; i++) {
      const input = distinctRegistration(5000 + i);
      const today = systemClock.now().toISOString().slice(0, 10);
      const started = performance.now();
      const { rpps } = await register.registerProfessional(actor, scope, { ...input, situation: { ...input.situation, startDate: today } });
      const committed = performance.now();
      times.validation.push(committed - started);
      const [mail, directory, ecps] = await Promise.all([
        reached(committed, 'mail handed to SMTP', () => received.some((m) => m.raw.includes(rpps))),
        Promise.all([
          reached(committed, 'directory', async () => (await get(`/api/directory/practitioners/${rpps}`)).statusCode === 200),
          reached(committed, 'FHIR', async () => ((await get(`/fhir/Practitioner?identifier=${rpps}`)).json() as { entry?: unknown[] }).entry?.length === 1),
        ]).then(([d, f]) => Math.max(d, f)),
        reached(committed, 'e-CPS activable', async () => (await app.inject({ method: 'POST', url: '/api/ecps/activation/code', payload: { idnps: `8${rpps}` } })).statusCode === 200),
      ]);
      times.mail.push(mail);
      times.directory.push(directory);
      times.ecps.push(ecps);
    }
  } finally {
    await app.close();
    await background.stop();
    await bench.close();
    await stopSmtp(smtp.server);
  }

  for (const t of Object.values(times)) t.sort((a, b) => a - b);
  const baseline = pct(times.validation, 95);
  const fmt = (n: number, w = 9) => n.toFixed(0).padStart(w);
  process.stdout.write(`${samples} validations on ${bench.handle.backend}; latency from the validation's commit, in ms\n`);
  process.stdout.write(`${'case'.padEnd(40)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'goal p95'.padStart(9)} ${'baseline p95'.padStart(13)} ${'ratio'.padStart(7)}  verdict\n`);
  process.stdout.write(`${'baseline: validation (the transaction)'.padEnd(40)} ${fmt(pct(times.validation, 50), 7)} ${fmt(baseline, 7)} ${'—'.padStart(9)} ${fmt(baseline, 13)} ${'1.00'.padStart(7)}\n`);
  const rows: Array<[string, number[]]> = [
    ['validation → mail handed to SMTP', times.mail],
    ['validation → visible in directory + FHIR', times.directory],
    ['validation → e-CPS activable', times.ecps],
  ];
  for (const [name, t] of rows) {
    const p95 = pct(t, 95);
    const verdict = p95 < goalMs ? 'met' : 'MISSED';
    process.stdout.write(`${name.padEnd(40)} ${fmt(pct(t, 50), 7)} ${fmt(p95, 7)} ${`< ${goalMs}`.padStart(9)} ${fmt(baseline, 13)} ${(p95 / baseline).toFixed(2).padStart(7)}  ${verdict}\n`);
  }
}
