import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { defineJob } from '../../jobs/index.ts';
import { createRegisterDrafts } from './drafts.ts';
import { postgresFileStore } from '../../files/store.ts';
import { cogIdentityVerifier, createIdentityService, type IdentityVerifier } from './identity.ts';
import { createIdentityDocuments } from './identity-document.ts';
import { createRegisterService } from './service.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'register.verify-identity': { personId: string };
    'register.daily': Record<string, never>;
    'register.identity-documents': Record<string, never>;
  }
}

/**
 * Identity verification of a new person, enqueued in the registering transaction. Idempotent:
 * a person already checked is left alone.
 */
export const verifyIdentityJob = (deps: { db: Database; clock: Clock; verifier?: IdentityVerifier }) => {
  const identity = createIdentityService({ ...deps, verifier: deps.verifier ?? cogIdentityVerifier(deps.db) });
  return defineJob(
    'register.verify-identity',
    z.object({ personId: z.uuid() }),
    async ({ personId }, run) => {
      const status = await identity.verifyIdentity(personId);
      run.log.info({ personId, status, jobId: run.id }, 'identity.checked');
    },
    { retryLimit: 10, retryDelaySeconds: 30, pollingIntervalSeconds: 1 },
  );
};

/** Every day at 00:05 (Paris): scheduled ends take effect, forgotten drafts are deleted. */
export const registerDailyCron = '5 0 * * *';

export const registerDailyJob = (deps: { db: Database; clock: Clock; config: Pick<Config, 'rppsRange'> }) => {
  const register = createRegisterService(deps);
  const drafts = createRegisterDrafts({ ...deps, register });
  return defineJob(
    'register.daily',
    z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    async (_payload, run) => {
      // Idempotent: a second run the same day finds nothing left to end.
      const report = await registerDaily(register, drafts);
      run.log.info({ ...report, jobId: run.id }, 'register.daily');
    },
    { retryLimit: 5, retryDelaySeconds: 300, cron: registerDailyCron },
  );
};

export async function registerDaily(
  register: Pick<ReturnType<typeof createRegisterService>, 'applyScheduledEnds'>,
  drafts: Pick<ReturnType<typeof createRegisterDrafts>, 'purgeStale'>,
) {
  const { ended } = await register.applyScheduledEnds();
  const draftsDeleted = await drafts.purgeStale();
  return { ended, draftsDeleted };
}

/** Every day at 00:15 (Paris): identity-document copies past their retention period are deleted (issue 15). */
export const identityDocumentsCron = '15 0 * * *';

export const identityDocumentsJob = (deps: { db: Database; clock: Clock; config: Pick<Config, 'identityDocumentRetentionDays'> }) => {
  const documents = createIdentityDocuments({ db: deps.db, clock: deps.clock, files: postgresFileStore, retentionDays: deps.config.identityDocumentRetentionDays });
  return defineJob(
    'register.identity-documents',
    z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    async (_payload, run) => {
      const deleted = await documents.purgeExpired();
      run.log.info({ deleted, jobId: run.id }, 'register.identity-documents');
    },
    { retryLimit: 5, retryDelaySeconds: 300, cron: identityDocumentsCron },
  );
};
