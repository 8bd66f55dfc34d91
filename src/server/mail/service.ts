import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { defineBatchJob, type JobQueue, type JobRun } from '../jobs/index.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';
import {
  claimMails,
  findMailIdByDedupeKey,
  findMailStatuses,
  insertMail,
  insertMails,
  markMailAttemptFailed,
  markMailsDelivered,
} from './queries.ts';
import { isMailIntent, type MailIntent, renderIntent, renderStoredMail } from './templates.ts';

declare module '../jobs/index.ts' {
  interface JobPayloads {
    'mail.send': { mailId: string };
  }
}

export const mailSendPayload = z.object({ mailId: z.uuid() });

/** How long one attempt may hold a mail before another run may take it over. */
const leaseSeconds = 120;

export interface MailService {
  /**
   * Stores the mail and enqueues its delivery in `trx`, the transaction of the business change:
   * both commit or neither does. The same `dedupeKey` (e.g. `registration-validated:<id>`) never
   * produces a second mail. Returns the mail id and whether this call created it.
   */
  queueMail(trx: Kysely<DB>, mail: OutgoingMail, dedupeKey: string, options?: QueueMailOptions): Promise<{ mailId: string; created: boolean }>;
  /**
   * `queueMail` for many mails at once (a bulk import's batch): one multi-row insert of the mails
   * and one of their delivery jobs, in `trx`. A dedupe key already used sends nothing again. A
   * `MailIntent` (templates.ts) is stored as its template and parameters, rendered when sent.
   */
  queueMails?(trx: Kysely<DB>, mails: readonly { mail: OutgoingMail | MailIntent; dedupeKey: string }[], options?: QueueMailOptions): Promise<void>;
}

export interface QueueMailOptions {
  /**
   * A mail of a mass operation (bulk import): sent after the waiting transactional mails (a
   * registration confirmed one by one, a sign-in link), so a large backlog does not delay them.
   */
  bulk?: boolean;
}

/** Job priorities of the mail queue: higher is fetched first. */
export const mailPriority = { transactional: 10, bulk: 0 } as const;

/** The same service, every mail of it marked bulk (the bulk import's registrations). */
export const bulkMail = (mail: MailService): MailService => ({
  queueMail: (trx, m, dedupeKey, options) => mail.queueMail(trx, m, dedupeKey, { ...options, bulk: true }),
  queueMails: (trx, mails, options) => queueMails(mail, trx, mails, { ...options, bulk: true }),
});

/** Many mails through the service's own `queueMails`, or one by one (rendered) when it has none. */
export async function queueMails(mail: MailService, trx: Kysely<DB>, mails: readonly { mail: OutgoingMail | MailIntent; dedupeKey: string }[], options?: QueueMailOptions) {
  if (mail.queueMails) return mail.queueMails(trx, mails, options);
  for (const m of mails) await mail.queueMail(trx, isMailIntent(m.mail) ? renderIntent(m.mail) : m.mail, m.dedupeKey, options);
}

export function createMailService(deps: { jobs: JobQueue; clock: Clock }): MailService {
  return {
    async queueMail(trx, mail, dedupeKey, options = {}) {
      const mailId = await insertMail(trx, mail, dedupeKey, deps.clock.now());
      if (!mailId) {
        const existing = await findMailIdByDedupeKey(trx, dedupeKey);
        return { mailId: existing!, created: false };
      }
      await deps.jobs.enqueue(trx, 'mail.send', { mailId }, { priority: options.bulk ? mailPriority.bulk : mailPriority.transactional });
      return { mailId, created: true };
    },
    async queueMails(trx, mails, options = {}) {
      const created = await insertMails(trx, mails, deps.clock.now());
      const payloads = [...created.values()].map((mailId) => ({ mailId }));
      const priority = options.bulk ? mailPriority.bulk : mailPriority.transactional;
      if (deps.jobs.enqueueMany) await deps.jobs.enqueueMany(trx, 'mail.send', payloads, { priority });
      else for (const p of payloads) await deps.jobs.enqueue(trx, 'mail.send', p, { priority });
    },
  };
}

/** Sends one claimed mail; resolves with undefined, or with the error after recording the failed attempt. */
async function sendClaimed(
  deps: Pick<MailJobDeps, 'db' | 'mailer'>,
  mail: { id: string; to: string; subject: string; text: string; html: string | null; template: string | null; params: unknown; attempts: number },
  run: JobRun,
): Promise<MailDeliveryError | undefined> {
  try {
    // A mail stored as a template is rendered here, as it is sent (templates.ts).
    const { to, subject, text, html } = renderStoredMail(mail);
    await deps.mailer.send({ to, subject, text, html, messageId: `<${mail.id}@rpps-plus>` });
    return undefined;
  } catch (err) {
    const failure = describeFailure(err);
    await markMailAttemptFailed(deps.db, mail.id, `${failure.code}: ${failure.message}`, run.lastAttempt);
    run.log.warn({ mailId: mail.id, attempt: mail.attempts, code: failure.code, final: run.lastAttempt }, 'mail.delivery_failed');
    return new MailDeliveryError(failure.code, failure.message);
  }
}

/** A mail attempt that failed; the message keeps no address (it is stored and may be logged). */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Another run of the same mail is talking to the SMTP server right now. */
export class MailBusyError extends Error {
  override name = 'MailBusyError';
  readonly code = 'mail-busy';
}

const addressPattern = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;
function describeFailure(err: unknown): { code: string; message: string } {
  const e = err as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : typeof e?.responseCode === 'number' ? `SMTP${e.responseCode}` : 'unknown';
  const message = typeof e?.message === 'string' ? e.message.replace(addressPattern, '[adresse]').slice(0, 500) : String(err);
  return { code, message };
}

export interface MailJobDeps {
  db: Database;
  mailer: Mailer;
  clock: Clock;
  /** Retry policy; the defaults retry for about a day (SMTP outages, greylisting). */
  retry?: { retryLimit?: number; retryDelaySeconds?: number; retryDelayMaxSeconds?: number };
}

/**
 * Delivers stored mails, a fetched batch at a time: one statement claims the batch, the mails go
 * out side by side over the pooled SMTP connections, one statement marks the delivered ones.
 * Idempotent: a run that finds a mail already delivered does nothing for it, and the lease in
 * `claimMails` keeps two concurrent runs from both sending it. A failed mail stays queued and its
 * job fails alone, so pg-boss retries it with exponential back-off; the last failure marks it
 * `failed` (and the job lands in the `mail.send.dead` dead-letter queue).
 */
export function mailSendJob(deps: MailJobDeps) {
  const { db, mailer, clock } = deps;
  return defineBatchJob(
    'mail.send',
    mailSendPayload,
    async (items) => {
      const ids = [...new Set(items.map((i) => i.payload.mailId))];
      const claimed = new Map((await claimMails(db, ids, leaseSeconds)).map((m) => [m.id, m]));
      const notClaimed = ids.filter((id) => !claimed.has(id));
      const statuses = new Map((await findMailStatuses(db, notClaimed)).map((m) => [m.id, m.status]));
      // A mail twice in one batch (a duplicate enqueue) is sent by its first job only.
      const sentBy = new Map<string, Promise<unknown>>();
      const delivered: string[] = [];
      const outcomes = await Promise.all(
        items.map(async ({ payload: { mailId }, run }): Promise<unknown> => {
          const mail = claimed.get(mailId);
          if (!mail) {
            // Already delivered, given up, or gone: nothing to send. Still queued: another run has it.
            return statuses.get(mailId) === 'queued' ? new MailBusyError('mail is being sent by another run') : undefined;
          }
          const first = sentBy.get(mailId);
          if (first) return (await first) === undefined ? undefined : new MailBusyError('mail is being sent by another run');
          const attempt = sendClaimed(deps, mail, run);
          sentBy.set(mailId, attempt);
          const error = await attempt;
          if (error === undefined) delivered.push(mailId);
          return error;
        }),
      );
      await markMailsDelivered(db, delivered, mailer.delivery === 'smtp' ? 'sent' : 'outbox', clock.now());
      for (const mailId of delivered) items[0]!.run.log.info({ mailId, delivery: mailer.delivery, attempt: claimed.get(mailId)!.attempts }, 'mail.sent');
      return outcomes;
    },
    {
      retryLimit: deps.retry?.retryLimit ?? 12,
      retryDelaySeconds: deps.retry?.retryDelaySeconds ?? 30,
      retryDelayMaxSeconds: deps.retry?.retryDelayMaxSeconds ?? 4 * 3600,
      expireInSeconds: leaseSeconds,
      // Several mails in flight: each worker fetches a batch and sends it over the pooled
      // connections; a new mail wakes a worker at once on PostgreSQL (docs/jobs-and-mail.md).
      batchSize: 20,
      concurrency: 2,
      wakeOnEnqueue: true,
    },
  );
}
