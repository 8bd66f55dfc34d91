import { z } from 'zod';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { postgresFileStore } from '../../files/store.ts';
import { defineJob } from '../../jobs/index.ts';
import { createOnboardingService } from './service.ts';

/**
 * Scheduled revocation of a habilitation (its end date). Enqueued with `startAfter` = the end
 * date when the habilitation is created or its end date changed; idempotent (an already revoked
 * habilitation, or one whose end date moved later, is left alone).
 */
export const habilitationEndJob = (deps: { db: Database; clock: Clock }) => {
  const onboarding = createOnboardingService({ ...deps, files: postgresFileStore });
  return defineJob(
    'habilitation.scheduled-end',
    z.object({ habilitationId: z.uuid() }),
    async ({ habilitationId }, run) => {
      const n = await onboarding.applyScheduledEnds(habilitationId);
      if (n > 0) run.log.info({ habilitationId, jobId: run.id }, 'habilitation.ended');
    },
    { retryLimit: 10, retryDelaySeconds: 30 },
  );
};
