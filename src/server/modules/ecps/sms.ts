import type { Kysely } from 'kysely';
import type { Clock } from '../../context.ts';
import type { DB } from '../../db/schema.ts';

/** An SMS to a mobile number (E.164). */
export interface OutgoingSms {
  to: string;
  text: string;
}

/**
 * How RPPS+ sends an SMS. The real gateway is not reachable here: the default keeps every SMS in
 * the local outbox, as a mail-like record, so development and tests read the code there.
 * `send` runs in the caller's transaction: a code that is not stored is never sent.
 */
export interface SmsSender {
  send(trx: Kysely<DB>, sms: OutgoingSms, dedupeKey: string): Promise<void>;
}

/** Recipient of an SMS in the outbox (`mail_message.to`), so it is told apart from a mail. */
export const smsRecipient = (mobile: string) => `sms:${mobile}`;

export function createOutboxSmsSender(deps: { clock: Clock }): SmsSender {
  return {
    async send(trx, sms, dedupeKey) {
      const now = deps.clock.now();
      await trx
        .insertInto('mailMessage')
        .values({ to: smsRecipient(sms.to), subject: 'SMS', text: sms.text, html: null, dedupeKey, createdAt: now, status: 'outbox', sentAt: now })
        .onConflict((oc) => oc.column('dedupeKey').doNothing())
        .execute();
    },
  };
}
