import nodemailer from 'nodemailer';
import { systemClock } from '../src/server/context.ts';
import { createJobRuntime } from '../src/server/jobs/index.ts';
import { createSmtpMailer, smtpConnections } from '../src/server/mail/mailer.ts';
import { createMailService, mailSendJob } from '../src/server/mail/service.ts';
import { registrationMail, type RegistrationMailInput, registrationMailIntent } from '../src/server/modules/register/mails.ts';
import { Worker } from 'node:worker_threads';
import { openScratchBenchDatabase, percentile } from './support.ts';

/**
 * Mail delivery (issue 18): stored mails handed to a local SMTP server (smtp-server, as in the
 * tests, on a thread of its own: bench/smtp-sink.ts) through the mail job, next to a same-run baseline: the same number of mails sent straight
 * through a pooled nodemailer transport, with no database and no job. The backlog is a bulk
 * import's: registration mails stored as their template, rendered by the job as it sends them
 * (the baseline sends the same mails, rendered). Sizes: BENCH_MAILS (bulk
 * backlog, 2,000), BENCH_TRANSACTIONAL_MAILS (single mails queued while the backlog drains, 30).
 * Goals: ≥ 200 mails/s; validation → mail handed to SMTP < 2 s p95 while a backlog drains; every
 * mail received exactly once.
 */
const goalPerSecond = 200;
const goalLatencyMs = 2000;

const mail = (n: number) => ({
  to: `personne${n}@example.org`,
  subject: `Votre numéro RPPS (${n})`,
  text: `Bonjour,\n\nVous êtes enregistré(e) au RPPS. Référence ${n}.\n\nRPPS+`,
  html: `<p>Bonjour,</p><p>Vous êtes enregistré(e) au RPPS. Référence ${n}.</p>`,
});

/** A bulk import's registration mail (register/mails.ts), as register-batch.ts queues it. */
const registration = (n: number): RegistrationMailInput => ({
  to: `personne${n}@example.org`,
  summary: {
    rpps: String(10_900_000_000 + n),
    email: `personne${n}@example.org`,
    mobile: `+336${String(10_000_000 + n).slice(-8)}`,
    egFiness: '690800206',
    egName: 'Centre hospitalier de démonstration',
    profession: 'Infirmier',
    role: 'Salarié',
    exerciseLastName: `NOM${n}`,
    exerciseFirstName: 'Prénom',
  },
  publicUrl: 'https://rpps-plus.example.org',
});

async function until(check: () => boolean, timeoutMs: number) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** What the SMTP sink reports of each message. */
interface ReceivedMail {
  at: number;
  messageId: string;
}

/** The SMTP server on its own thread (bench/smtp-sink.ts); `received` fills as messages arrive. */
async function startSmtpSink(received: ReceivedMail[]) {
  const worker = new Worker(new URL('./smtp-sink.ts', import.meta.url));
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject);
    worker.on('message', (m: { port?: number } & ReceivedMail) => {
      if (m.port !== undefined) resolve(m.port);
      else received.push(m);
    });
  });
  return { port, stop: () => new Promise<void>((resolve) => { worker.once('exit', () => resolve()); worker.postMessage({ stop: true }); }) };
}
const messageIdOf = (m: ReceivedMail) => m.messageId;

export async function run() {
  const bulkCount = Number(process.env.BENCH_MAILS ?? 2000);
  const singleCount = Number(process.env.BENCH_TRANSACTIONAL_MAILS ?? 30);
  const received: ReceivedMail[] = [];
  const smtp = await startSmtpSink(received);
  const smtpUrl = `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`;
  const from = 'RPPS+ <ne-pas-repondre@rpps-plus.invalid>';

  // Baseline: the raw capacity of this SMTP server and nodemailer's pool, same mails, same run.
  const raw = nodemailer.createTransport({ url: smtpUrl, pool: true, maxConnections: smtpConnections });
  let started = performance.now();
  await Promise.all(Array.from({ length: bulkCount }, (_, i) => {
    const m = registrationMail(registration(i));
    return raw.sendMail({ from, to: m.to, subject: m.subject, text: m.text, html: m.html ?? undefined });
  }));
  const baselinePerSecond = bulkCount / ((performance.now() - started) / 1000);
  raw.close();
  received.length = 0;

  const bench = await openScratchBenchDatabase();
  const { db, backend } = bench.handle;
  const mailer = createSmtpMailer(smtpUrl, from);
  const jobs = [mailSendJob({ db, mailer, clock: systemClock })];
  // One instance enqueues (JOBS_WORKER=false); the workers start once the backlog is queued.
  const queue = createJobRuntime({ database: bench.handle, databaseUrl: bench.config.databaseUrl, worker: false, jobs });
  await queue.start();
  const service = createMailService({ jobs: queue, clock: systemClock });
  const queueBacklog = async (tag: string) => {
    for (let from = 0; from < bulkCount; from += 200) {
      const mails = Array.from({ length: Math.min(bulkCount, from + 200) - from }, (_, k) => ({ mail: registrationMailIntent(registration(from + k)), dedupeKey: `bench:${tag}:${from + k}` }));
      await db.transaction().execute((trx) => service.queueMails!(trx, mails, { bulk: true }));
    }
  };
  let workers = createJobRuntime({ database: bench.handle, databaseUrl: bench.config.databaseUrl, worker: true, jobs });
  try {
    // 1. Throughput: the backlog of a bulk import (queued 200 per transaction, as templates), drained.
    started = performance.now();
    await queueBacklog('bulk');
    process.stdout.write(`${backend}: queued ${bulkCount} mails in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    await workers.start();
    started = performance.now();
    const drained = await until(() => received.length >= bulkCount, 600_000);
    const perSecond = bulkCount / ((performance.now() - started) / 1000);
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would arrive now
    const ids = new Set(received.map((m) => messageIdOf(m)));
    const bulkExactlyOnce = drained && received.length === bulkCount && ids.size === bulkCount;
    await workers.stop();

    // 2. Latency: a second bulk backlog drains while single transactional mails are validated.
    received.length = 0;
    await queueBacklog('bulk2');
    workers = createJobRuntime({ database: bench.handle, databaseUrl: bench.config.databaseUrl, worker: true, jobs });
    await workers.start();
    const committed = new Map<string, number>();
    for (let i = 0; i < singleCount; i++) {
      const { mailId } = await db.transaction().execute((trx) => service.queueMail(trx, mail(100_000 + i), `bench:single:${i}`));
      committed.set(`<${mailId}@rpps-plus>`, Date.now());
      await new Promise((r) => setTimeout(r, 30));
    }
    await until(() => received.length >= bulkCount + singleCount, 600_000);
    const latencies = received
      .map((m) => {
        const at = committed.get(messageIdOf(m));
        return at === undefined ? undefined : m.at - at;
      })
      .filter((x): x is number => x !== undefined)
      .sort((a, b) => a - b);
    const bulkBacklogLeft = bulkCount + singleCount - received.findLastIndex((m) => committed.has(messageIdOf(m))) - 1;

    const line = (name: string, value: string, goal: string, baseline: string) =>
      process.stdout.write(`${name.padEnd(56)} ${value.padStart(14)}  goal ${goal.padEnd(10)} ${baseline}\n`);
    line(`mail delivery, ${bulkCount} mails (${backend})`, `${perSecond.toFixed(0)} mails/s`, `≥ ${goalPerSecond}/s`, `baseline pooled SMTP without database ${baselinePerSecond.toFixed(0)} mails/s, ratio ${(perSecond / baselinePerSecond).toFixed(2)}`);
    line(`validation → SMTP, ${latencies.length} single mails, backlog`, `p95 ${percentile(latencies, 95).toFixed(0)} ms`, `< ${goalLatencyMs} ms`, `p50 ${percentile(latencies, 50).toFixed(0)} ms; bulk mails still queued behind the last single one: ${bulkBacklogLeft}`);
    const secondExactlyOnce = received.length === bulkCount + singleCount && new Set(received.map((m) => messageIdOf(m))).size === received.length;
    line('each mail received exactly once', bulkExactlyOnce && secondExactlyOnce ? 'yes' : 'NO', 'yes', `${bulkCount} + ${received.length} received`);
    if (!bulkExactlyOnce || !secondExactlyOnce) throw new Error('a mail was lost or sent twice');
  } finally {
    await workers.stop();
    await queue.stop();
    mailer.close();
    await smtp.stop();
    await bench.close();
  }
}
