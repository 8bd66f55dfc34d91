import { z } from 'zod';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { defineJob, type JobLogger, type JobQueue } from '../../jobs/index.ts';
import { createWatcher, type Watcher } from '../../jobs/watcher.ts';
import { createDirectoryPublication } from './publication.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    'directory.publish': { reason: string };
  }
}

/**
 * The publication job: drains the register's outbox into the directory read model. Several runs
 * may overlap or repeat: the work is serialized by an advisory lock and idempotent.
 */
export const directoryPublishJob = (deps: { db: Database; clock: Clock }) => {
  const publication = createDirectoryPublication(deps);
  return defineJob(
    'directory.publish',
    z.object({ reason: z.string().max(100) }),
    async (_payload, run) => {
      const report = await publication.publishPending();
      if (report.events > 0) run.log.info({ ...report, jobId: run.id }, 'directory.published');
    },
    { retryLimit: 10, retryDelaySeconds: 1, retryDelayMaxSeconds: 60, expireInSeconds: 600, pollingIntervalSeconds: 0.5 },
  );
};

/**
 * Wakes the publication up within a fraction of a second of a register event, so a validated
 * professional is public within 2 s (issue 8). The register writes its events in its own
 * transaction (`register_event`, the outbox); this watcher notices unpublished ones (a cheap
 * query on a partial index) and enqueues one publication job at a time (singleton key).
 */
export function createPublicationWatcher(deps: { db: Database; clock: Clock; jobs: JobQueue; intervalMs?: number; log?: JobLogger }): Watcher {
  const publication = createDirectoryPublication(deps);
  return createWatcher({
    hasPending: () => publication.hasPending(),
    handle: async () => {
      await deps.jobs.enqueue(deps.db, 'directory.publish', { reason: 'register-event' }, { singletonKey: 'directory.publish' });
    },
    failureEvent: 'directory.watch_failed',
    intervalMs: deps.intervalMs,
    log: deps.log,
  });
}
