import { SMTPServer } from 'smtp-server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../tests/support/db.ts';
import { testJobRuntime } from '../../../tests/support/jobs.ts';
import { type ReceivedMail, startSmtp, stopSmtp } from '../../../tests/support/smtp.ts';
import { silentLogger, type JobRuntime } from '../jobs/index.ts';
import { createSmtpMailer, outboxMailer, type Mailer } from './mailer.ts';
import { getMail } from './queries.ts';
import { createMailService, MailBusyError, mailSendJob, type MailService, queueMails } from './service.ts';
import { defineMailTemplate } from './templates.ts';

const manualRun = { id: 'manual', attempt: 1, lastAttempt: false, log: silentLogger };
const clock = fixedClock('2026-11-23T10:00:00Z');
const mail = (n: number) => ({
  to: `personne${n}@example.org`,
  subject: `Votre demande n° ${n}`,
  text: `Bonjour, votre demande ${n} est enregistrée.`,
  html: `<p>Bonjour, votre demande ${n} est enregistrée.</p>`,
});

let t: TestDatabase;
let runtime: JobRuntime;
let service: MailService;
let smtp: { server: SMTPServer; port: number };
const received: ReceivedMail[] = [];
// The mailer the job uses; switched to the outbox for one test.
let current: Mailer;
const mailer: Mailer = {
  get delivery() {
    return current.delivery;
  },
  send: (m) => current.send(m),
  close: () => {},
};
let smtpMailer: Mailer;
const job = () => mailSendJob({ db: t.db, mailer, clock, retry: { retryLimit: 6, retryDelaySeconds: 1 } });

// A template as a module declares one (register/mails.ts): rendered by the job when it sends.
const greeting = defineMailTemplate(
  'test.greeting',
  (p: { to: string; n: number }) => ({ ...mail(p.n), to: p.to }),
  (p) => ({ to: p.to, subject: mail(p.n).subject }),
);

const row = (id: string) => t.db.selectFrom('mailMessage').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  t = await createTestDatabase();
  smtp = await startSmtp(received);
  smtpMailer = createSmtpMailer(`smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, 'RPPS+ <ne-pas-repondre@rpps-plus.invalid>');
  current = smtpMailer;
  runtime = testJobRuntime(t, [job()]);
  await runtime.start();
  service = createMailService({ jobs: runtime, clock });
});

afterAll(async () => {
  await runtime?.stop();
  smtpMailer?.close();
  if (smtp) await stopSmtp(smtp.server);
  await t?.close();
});

describe('mail', () => {
  it('stores and sends nothing when the business transaction rolls back', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await service.queueMail(trx, mail(0), 'test:rolled-back');
        throw new Error('business change fails');
      }),
    ).rejects.toThrow('business change fails');
    const rows = await t.db.selectFrom('mailMessage').select('id').where('dedupeKey', '=', 'test:rolled-back').execute();
    expect(rows).toEqual([]);
  });

  it('delivers a mail through SMTP once, even when queued twice and the job runs twice', async () => {
    const before = received.length;
    const first = await t.db.transaction().execute((trx) => service.queueMail(trx, mail(1), 'test:once'));
    const again = await t.db.transaction().execute((trx) => service.queueMail(trx, mail(1), 'test:once'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ mailId: first.mailId, created: false });

    await vi.waitFor(async () => expect((await row(first.mailId)).status).toBe('sent'), { timeout: 10_000, interval: 100 });
    // The same job delivered again (a redelivery, a duplicate enqueue) and run by hand.
    await t.db.transaction().execute((trx) => runtime.enqueue(trx, 'mail.send', { mailId: first.mailId }));
    await job().handler({ mailId: first.mailId }, manualRun);
    await new Promise((r) => setTimeout(r, 1500));

    const mine = received.slice(before);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.to).toEqual(['personne1@example.org']);
    expect(mine[0]!.raw).toContain(`Message-ID: <${first.mailId}@rpps-plus>`);
    const stored = await row(first.mailId);
    expect(stored).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(stored.sentAt).toEqual(new Date('2026-11-23T10:00:00Z'));
  });

  it('lets only one of two concurrent runs send the mail', async () => {
    const before = received.length;
    // Stored without a job, so the two runs below are the only ones.
    const id = await t.db
      .insertInto('mailMessage')
      .values({ ...mail(2), dedupeKey: 'test:concurrent', createdAt: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const runs = await Promise.allSettled(
      [1, 2].map(() => job().handler({ mailId: id.id }, manualRun)),
    );
    // The loser either finds the mail sent, or finds it leased and asks to be retried later.
    for (const r of runs) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(MailBusyError);
    expect(received.slice(before)).toHaveLength(1);
    expect((await row(id.id)).status).toBe('sent');
  });

  it('retries while the SMTP server is down and delivers once it is back', async () => {
    const port = smtp.port;
    await stopSmtp(smtp.server);
    const before = received.length;
    const { mailId } = await t.db.transaction().execute((trx) => service.queueMail(trx, mail(3), 'test:smtp-down'));

    await vi.waitFor(
      async () => {
        const r = await row(mailId);
        expect(r.attempts).toBeGreaterThanOrEqual(1);
        expect(r.status).toBe('queued');
        expect(r.lastError).toMatch(/ECONNREFUSED|ESOCKET|ECONNECTION/);
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(received.length).toBe(before);

    smtp = await startSmtp(received, port);
    await vi.waitFor(async () => expect((await row(mailId)).status).toBe('sent'), { timeout: 20_000, interval: 200 });
    expect((await row(mailId)).attempts).toBeGreaterThanOrEqual(2);
    expect(received.slice(before)).toHaveLength(1);
  });

  it('delivers a backlog once per mail, in batches, single mails before bulk ones', async () => {
    const before = received.length;
    const bulk = 60;
    // One transaction: the workers see the whole backlog at once, as after a bulk import's batch.
    const single = await t.db.transaction().execute(async (trx) => {
      for (let n = 0; n < bulk; n++) await service.queueMail(trx, mail(1000 + n), `test:bulk:${n}`, { bulk: true });
      return service.queueMail(trx, mail(999), 'test:single');
    });
    await vi.waitFor(() => expect(received.length - before).toBeGreaterThanOrEqual(bulk + 1), { timeout: 30_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 1000)); // a duplicate would arrive now
    const mine = received.slice(before);
    const ids = mine.map((m) => /Message-ID: (<[^>]+>)/i.exec(m.raw)?.[1]);
    expect(mine).toHaveLength(bulk + 1);
    expect(new Set(ids).size).toBe(bulk + 1);
    const statuses = await t.db.selectFrom('mailMessage').select(['id', 'status', 'attempts']).where('dedupeKey', 'like', 'test:bulk:%').execute();
    expect(statuses.every((r) => r.status === 'sent' && r.attempts === 1)).toBe(true);
    // The single mail's job outranks the bulk ones, so a worker fetches it first. When it reaches
    // the SMTP server depends on the concurrent batches (a latency: `npm run bench -- mail`).
    const { rows: jobs } = await sql<{ mailId: string; priority: number }>`SELECT data->>'mailId' AS "mailId", priority FROM pgboss.job WHERE name = 'mail.send'`.execute(t.db);
    const priorityOf = new Map(jobs.map((j) => [j.mailId, Number(j.priority)]));
    const bulkPriorities = statuses.map((r) => r.id).map((id) => priorityOf.get(id));
    expect(bulkPriorities.every((p) => p !== undefined && p < priorityOf.get(single.mailId)!)).toBe(true);
  });

  it('stores a templated mail as its parameters and renders it once, when it is sent', async () => {
    const before = received.length;
    await t.db.transaction().execute((trx) =>
      service.queueMails!(trx, [5, 6].map((n) => ({ mail: greeting.intent({ to: `personne${n}@example.org`, n }), dedupeKey: `test:template:${n}` })), { bulk: true }),
    );
    // Queued again (a batch retried): the dedupe key holds.
    await t.db.transaction().execute((trx) => service.queueMails!(trx, [{ mail: greeting.intent({ to: 'personne5@example.org', n: 5 }), dedupeKey: 'test:template:5' }]));
    const stored = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', 'like', 'test:template:%').orderBy('dedupeKey').execute();
    expect(stored.map((m) => ({ to: m.to, subject: m.subject, text: m.text, html: m.html, template: m.template, params: m.params }))).toEqual(
      [5, 6].map((n) => ({ to: `personne${n}@example.org`, subject: mail(n).subject, text: '', html: null, template: 'test.greeting', params: { to: `personne${n}@example.org`, n } })),
    );
    // The outbox page reads it rendered.
    expect(await getMail(t.db, stored[0]!.id)).toMatchObject({ text: mail(5).text, html: mail(5).html });

    await vi.waitFor(async () => expect((await Promise.all(stored.map((m) => row(m.id)))).map((m) => m.status)).toEqual(['sent', 'sent']), { timeout: 10_000, interval: 100 });
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now
    const mine = received.slice(before).sort((a, b) => a.to[0]!.localeCompare(b.to[0]!));
    expect(mine.map((m) => m.to)).toEqual([['personne5@example.org'], ['personne6@example.org']]);
    expect(mine[0]!.raw).toContain(`Message-ID: <${stored[0]!.id}@rpps-plus>`);
    expect(mine[0]!.raw).toContain('votre demande 5 est enregistr');
    expect(mine[1]!.raw).toContain('votre demande 6 est enregistr');
  });

  it('gives a mail service without queueMails the templated mails rendered', async () => {
    const queued: Array<{ mail: unknown; key: string; bulk?: boolean }> = [];
    const plain: MailService = {
      async queueMail(_trx, m, key, options) {
        queued.push({ mail: m, key, bulk: options?.bulk });
        return { mailId: key, created: true };
      },
    };
    await queueMails(plain, t.db, [{ mail: greeting.intent({ to: 'personne8@example.org', n: 8 }), dedupeKey: 'test:plain:8' }], { bulk: true });
    expect(queued).toEqual([{ mail: { ...mail(8), to: 'personne8@example.org' }, key: 'test:plain:8', bulk: true }]);
  });

  it('fails the attempt of a mail whose template this process does not know, sending nothing', async () => {
    const before = received.length;
    const { id } = await t.db
      .insertInto('mailMessage')
      .values({ to: 'personne7@example.org', subject: 'Inconnu', text: '', template: 'test.unknown', params: JSON.stringify({ n: 7 }), dedupeKey: 'test:template-unknown', createdAt: clock.now() })
      .returning('id')
      .executeTakeFirstOrThrow();
    await expect(job().handler({ mailId: id }, manualRun)).rejects.toMatchObject({ code: 'mail-template-unknown' });
    expect(await row(id)).toMatchObject({ status: 'queued', attempts: 1, lastError: 'mail-template-unknown: unknown mail template test.unknown' });
    expect(received.length).toBe(before);
  });

  it('keeps the mail in the local outbox without SMTP_URL', async () => {
    current = outboxMailer;
    try {
      const before = received.length;
      const { mailId } = await t.db.transaction().execute((trx) => service.queueMail(trx, mail(4), 'test:outbox'));
      await vi.waitFor(async () => expect((await row(mailId)).status).toBe('outbox'), { timeout: 10_000, interval: 100 });
      expect(received.length).toBe(before);
    } finally {
      current = smtpMailer;
    }
  });
});
