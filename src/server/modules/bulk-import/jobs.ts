import { z } from 'zod';
import { defineJob, type JobQueue } from '../../jobs/index.ts';
import { type BulkImportDeps, createBulkImportService } from './service.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'bulk-import.batch': { importId: string };
  }
}

/**
 * One batch of a committed import; the next batch is queued when this one is done. A batch killed
 * midway is retried by pg-boss (or queued again at start-up by `resumeUnfinished`): rows already
 * registered are recognised by their idempotency key, so no row is lost or doubled.
 */
export const bulkImportBatchJob = (deps: BulkImportDeps & { jobs: JobQueue }) => {
  const service = createBulkImportService(deps);
  return defineJob(
    'bulk-import.batch',
    z.object({ importId: z.uuid() }),
    async ({ importId }, run) => {
      const { processed, pending } = await service.processBatch(importId);
      run.log.info({ importId, processed, pending }, 'bulk-import.batch');
      if (pending > 0) await deps.db.transaction().execute((trx) => deps.jobs.enqueue(trx, 'bulk-import.batch', { importId }));
    },
    { retryLimit: 20, retryDelaySeconds: 5, expireInSeconds: 600, pollingIntervalSeconds: 0.5 },
  );
};
