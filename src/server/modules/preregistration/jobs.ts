import { z } from 'zod';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { defineJob } from '../../jobs/index.ts';
import type { MailService } from '../../mail/service.ts';
import { createPreregistrationService, type PreregistrationDeps } from './service.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'preregistration.reminders': Record<string, never>;
  }
}

/** Every hour: pending requests older than the delay remind their gestionnaires (then the RL). */
export const preregistrationRemindersCron = '17 * * * *';

export const preregistrationRemindersJob = (deps: { db: Database; clock: Clock; config: PreregistrationDeps['config']; mail: MailService }) => {
  const service = createPreregistrationService(deps);
  return defineJob(
    'preregistration.reminders',
    z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    async (_payload, run) => {
      // Idempotent: a second run in the same period finds every request already reminded.
      const report = await service.sendReminders();
      run.log.info({ ...report, jobId: run.id }, 'preregistration.reminders');
    },
    { retryLimit: 3, retryDelaySeconds: 300, cron: preregistrationRemindersCron },
  );
};
