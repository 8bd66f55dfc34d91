import { z } from 'zod';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { defineJob, type JobLogger, type JobQueue } from '../../jobs/index.ts';
import { createOperatorAggregates } from './aggregates.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'dashboard.refresh': Record<string, never>;
  }
}

/** Every 10 minutes: the operator dashboard's figures are at most that old (plus the refresh's own time). */
export const dashboardRefreshCron = '*/10 * * * *';
const refreshEveryMs = 10 * 60_000;

/**
 * `dashboard.refresh`: recomputes the operator dashboard's aggregates. pg-boss's cron sends one
 * job per tick whatever the number of instances, and a job created before the last refresh
 * started finds the work done (aggregates.ts), so a tick refreshes once even with several workers.
 */
export const dashboardRefreshJob = (deps: { db: Database; clock: Clock }, options: { cron?: string } = {}) => {
  const aggregates = createOperatorAggregates(deps);
  return defineJob(
    'dashboard.refresh',
    z.object({}).strict() as unknown as z.ZodType<Record<string, never>>,
    async (_payload, run) => {
      const result = await aggregates.refresh(run.createdOn);
      run.log.info({ jobId: run.id, status: result.status, asOf: result.asOf.toISOString(), ...(result.status === 'refreshed' ? { ms: result.durationMs } : {}) }, 'dashboard.refreshed');
    },
    // At 3 M professionals a refresh takes seconds to tens of seconds: well under the 10-minute period.
    { retryLimit: 2, retryDelaySeconds: 60, expireInSeconds: 15 * 60, cron: options.cron ?? dashboardRefreshCron },
  );
};

/**
 * At a worker's start: a refresh now if the figures are missing or older than the period (a new
 * installation, or a restart after a stop), rather than waiting for the next tick.
 */
export async function refreshIfStale(deps: { db: Database; clock: Clock; jobs: JobQueue; log: JobLogger }) {
  const asOf = await createOperatorAggregates(deps).asOf();
  if (asOf && deps.clock.now().getTime() - asOf.getTime() < refreshEveryMs) return;
  await deps.jobs.enqueue(deps.db, 'dashboard.refresh', {}, { singletonKey: 'dashboard.refresh' });
  deps.log.info({ asOf: asOf?.toISOString() ?? null }, 'dashboard.refresh_queued');
}
