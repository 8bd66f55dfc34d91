import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../context.ts';
import type { Database } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { defineJob, type JobQueue } from '../jobs/index.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';
import {
  claimMail,
  findMailIdByDedupeKey,
  findMailStatus,
  insertMail,
  markMailAttemptFailed,
  markMailDelivered,
} from './queries.ts';

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
  queueMail(trx: Kysely<DB>, mail: OutgoingMail, dedupeKey: string): Promise<{ mailId: string; created: boolean }>;
}

export function createMailService(deps: { jobs: JobQueue; clock: Clock }): MailService {
  return {
    async queueMail(trx, mail, dedupeKey) {
      const mailId = await insertMail(trx, mail, dedupeKey, deps.clock.now());
      if (!mailId) {
        const existing = await findMailIdByDedupeKey(trx, dedupeKey);
        return { mailId: existing!, created: false };
      }
      await deps.jobs.enqueue(trx, 'mail.send', { mailId });
      return { mailId, created: true };
    },
  };
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
 * Delivers one stored mail. Idempotent: a run that finds the mail already delivered does nothing,
 * and the lease in `claimMail` keeps two concurrent runs from both sending it. Any failure leaves
 * the mail queued and throws, so pg-boss retries with exponential back-off; the last failure
 * marks it `failed` (and the job lands in the `mail.send.dead` dead-letter queue).
 */
export function mailSendJob(deps: MailJobDeps) {
  const { db, mailer, clock } = deps;
  return defineJob(
    'mail.send',
    mailSendPayload,
    async ({ mailId }, run) => {
      const mail = await claimMail(db, mailId, leaseSeconds);
      if (!mail) {
        const current = await findMailStatus(db, mailId);
        if (current?.status === 'queued') throw new MailBusyError('mail is being sent by another run');
        return; // already delivered, given up, or gone: nothing to send
      }
      try {
        await mailer.send({ ...mail, messageId: `<${mail.id}@rpps-plus>` });
      } catch (err) {
        const failure = describeFailure(err);
        await markMailAttemptFailed(db, mailId, `${failure.code}: ${failure.message}`, run.lastAttempt);
        run.log.warn({ mailId, attempt: mail.attempts, code: failure.code, final: run.lastAttempt }, 'mail.delivery_failed');
        throw new MailDeliveryError(failure.code, failure.message);
      }
      await markMailDelivered(db, mailId, mailer.delivery === 'smtp' ? 'sent' : 'outbox', clock.now());
      run.log.info({ mailId, delivery: mailer.delivery, attempt: mail.attempts }, 'mail.sent');
    },
    {
      retryLimit: deps.retry?.retryLimit ?? 12,
      retryDelaySeconds: deps.retry?.retryDelaySeconds ?? 30,
      retryDelayMaxSeconds: deps.retry?.retryDelayMaxSeconds ?? 4 * 3600,
      expireInSeconds: leaseSeconds,
    },
  );
}
