import client from 'prom-client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.ts';
import { readOperationalFigures, replicaLagBytes, replicaLagSeconds } from './queries.ts';

/**
 * GET /metrics: Prometheus text format, for the scraper holding METRICS_TOKEN (policy `metrics`,
 * checked by the auth kernel). Business gauges are read from the database at each scrape; if
 * it cannot be read, the process metrics still come back with `rpps_metrics_database_up 0`.
 */
export const metricsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const metrics = ctx.metrics;
  if (!metrics) throw new Error('metrics routes need ctx.metrics (set by buildApp)');
  const registers = [metrics.registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new client.Gauge({ name, help, labelNames, registers });
  const g = {
    up: gauge('rpps_metrics_database_up', '1 when the figures below could be read from the database at this scrape'),
    jobsWaiting: gauge('rpps_jobs_waiting', 'Jobs waiting to run (created or retrying), per queue', ['queue']),
    jobsActive: gauge('rpps_jobs_active', 'Jobs running now, per queue', ['queue']),
    jobsFailed: gauge('rpps_jobs_failed', 'Jobs failed after their last retry and still kept, per queue', ['queue']),
    jobsOldest: gauge('rpps_jobs_oldest_waiting_seconds', 'Age of the oldest job ready to run and not started, per queue', ['queue']),
    mail: gauge('rpps_mail_messages', 'Mail messages by status (queued = backlog, failed = given up, outbox = no SMTP configured)', ['status']),
    mailOldest: gauge('rpps_mail_oldest_queued_seconds', 'Age of the oldest mail waiting to be sent'),
    unpublished: gauge('rpps_directory_unpublished_events', 'Register events not yet published to the public directory'),
    publicationLag: gauge('rpps_directory_publication_lag_seconds', 'Age of the oldest register event not yet published (0 when none)'),
    extractionAge: gauge('rpps_directory_extraction_age_seconds', 'Time since the last directory extraction file, per kind (full, delta)', ['kind']),
    replicaLag: ctx.readDb ? gauge('rpps_db_replica_lag_seconds', 'Replay delay of the read replica (DATABASE_READ_URL)') : undefined,
    replicaLagBytes: ctx.readDb ? gauge('rpps_db_replica_lag_bytes', 'WAL written by the primary and not yet replayed by the read replica') : undefined,
  };
  const ageOf = (at: Date | null, now: Date) => (at ? Math.max(0, (now.getTime() - at.getTime()) / 1000) : 0);

  async function refresh() {
    const now = ctx.clock.now();
    try {
      const f = await readOperationalFigures(ctx.db);
      for (const gauge of [g.jobsWaiting, g.jobsActive, g.jobsFailed, g.jobsOldest, g.mail, g.extractionAge]) gauge.reset();
      for (const j of f.jobs) {
        g.jobsWaiting.set({ queue: j.name }, j.waiting);
        g.jobsActive.set({ queue: j.name }, j.active);
        g.jobsFailed.set({ queue: j.name }, j.failed);
        g.jobsOldest.set({ queue: j.name }, j.oldestWaitingSeconds);
      }
      for (const status of ['queued', 'sent', 'outbox', 'failed']) g.mail.set({ status }, f.mail.find((m) => m.status === status)?.count ?? 0);
      g.mailOldest.set(ageOf(f.oldestQueuedMailAt, now));
      g.unpublished.set(f.unpublishedEvents);
      g.publicationLag.set(ageOf(f.oldestUnpublishedAt, now));
      for (const e of f.extractions) g.extractionAge.set({ kind: e.kind }, ageOf(e.lastAt, now));
      g.up.set(1);
    } catch (err) {
      app.log.error({ err }, 'metrics.database_unreadable');
      g.up.set(0);
    }
    if (ctx.readDb && g.replicaLag) {
      try {
        g.replicaLag.set(await replicaLagSeconds(ctx.readDb));
      } catch (err) {
        app.log.error({ err }, 'metrics.replica_unreadable');
        g.replicaLag.set(Number.POSITIVE_INFINITY);
      }
    }
    if (ctx.readDb && g.replicaLagBytes) {
      try {
        g.replicaLagBytes.set(await replicaLagBytes(ctx.db, ctx.readDb));
      } catch (err) {
        app.log.error({ err }, 'metrics.replica_unreadable');
        g.replicaLagBytes.set(Number.POSITIVE_INFINITY);
      }
    }
  }

  app.get(
    '/metrics',
    {
      config: { policy: 'metrics' },
      // Text exposition format (no JSON schema for it); a refusal is a 401 problem from the auth kernel.
      schema: { hide: true, tags: ['operations'], summary: 'Prometheus metrics (bearer METRICS_TOKEN)' },
    },
    async (_request, reply) => {
      await refresh();
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    },
  );
};
