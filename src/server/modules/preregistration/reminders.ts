import { dayMs, hashOf, type PreregistrationContext } from './context.ts';
import { reminderMail } from './mails.ts';
import { gestionnaireEmails, legalRepresentativeEmails } from './queries.ts';

/**
 * The reminder job of pending requests (PREREGISTRATION_REMINDER_DAYS).
 */
export function reminderUseCases(context: PreregistrationContext) {
  const { db, config, now, reminderMs } = context;

  return {
    /**
     * The reminder job: a request pending for n full delays (n ≥ 1) is in period n; each period
     * notifies once (the `reminder_count < n` guard and the mail's dedupe key), the gestionnaires
     * always and, from the second period on, the legal representative too.
     */
    async sendReminders() {
      const delay = reminderMs();
      const at = now();
      const due = await db
        .selectFrom('preregistration')
        .select(['id', 'egFiness', 'ejFiness', 'submittedAt', 'reminderCount'])
        .where('status', '=', 'pending')
        .where('submittedAt', '<=', new Date(at.getTime() - delay))
        .orderBy('submittedAt')
        .execute();
      let reminded = 0;
      for (const r of due) {
        const period = Math.floor((at.getTime() - new Date(r.submittedAt!).getTime()) / delay);
        if (period <= r.reminderCount || !r.ejFiness || !r.egFiness) continue;
        const sent = await db.transaction().execute(async (trx) => {
          const claimed = await trx
            .updateTable('preregistration')
            .set({ reminderCount: period })
            .where('id', '=', r.id)
            .where('status', '=', 'pending')
            .where('reminderCount', '<', period)
            .returning('id')
            .executeTakeFirst();
          if (!claimed) return false;
          const days = Math.round((period * delay) / dayMs);
          for (const to of await gestionnaireEmails(trx, r.ejFiness!, r.egFiness!)) {
            await context.deps.mail?.queueMail(trx, reminderMail(to, config.publicUrl, days, false), `preregistration-reminder:${r.id}:${period}:${hashOf(to)}`);
          }
          if (period >= 2) {
            for (const to of await legalRepresentativeEmails(trx, r.ejFiness!)) {
              await context.deps.mail?.queueMail(trx, reminderMail(to, config.publicUrl, days, true), `preregistration-reminder-rl:${r.id}:${period}:${hashOf(to)}`);
            }
          }
          return true;
        });
        if (sent) reminded++;
      }
      return { reminded };
    },
  };
}
