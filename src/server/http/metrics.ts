import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LogEvent } from 'kysely';
import client from 'prom-client';

/**
 * Prometheus metrics of one process (docs/operations.md#metrics): HTTP latency per route and
 * status, database pool and query errors, Node's process metrics. The business gauges (job
 * queue, mail outbox, directory publication…) are read from the database at scrape time by the
 * metrics module (src/server/modules/metrics).
 */
export interface Metrics {
  registry: client.Registry;
  /** Feeds the database metrics; given to openDatabase as its `onQuery`. */
  onQuery(event: LogEvent): void;
  /** Where the pool gauges read their figures (total, idle, waiting clients, maximum). */
  watchPool(name: 'primary' | 'replica', stats: () => PoolStats): void;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createMetrics(): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const queryErrors = new client.Counter({
    name: 'rpps_db_query_errors_total',
    help: 'SQL statements that failed (constraint violations included: the rate matters, not each one)',
    registers: [registry],
  });
  const queryDuration = new client.Histogram({
    name: 'rpps_db_query_duration_seconds',
    help: 'SQL statement duration',
    labelNames: ['outcome'],
    buckets: latencyBuckets,
    registers: [registry],
  });
  const pools = new Map<string, () => PoolStats>();
  new client.Gauge({
    name: 'rpps_db_pool_connections',
    help: 'Database pool clients of this process by state (total, idle, waiting = queries waiting for a client, max)',
    labelNames: ['pool', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [pool, stats] of pools) {
        const s = stats();
        for (const state of ['total', 'idle', 'waiting', 'max'] as const) this.set({ pool, state }, s[state]);
      }
    },
  });

  return {
    registry,
    onQuery(event) {
      const outcome = event.level === 'error' ? 'error' : 'ok';
      if (outcome === 'error') queryErrors.inc();
      queryDuration.observe({ outcome }, event.queryDurationMillis / 1000);
    },
    watchPool(name, stats) {
      pools.set(name, stats);
    },
  };
}

/** One latency observation per HTTP request, labelled by route pattern (never the raw URL) and status. */
export function registerHttpMetrics(app: FastifyInstance, metrics: Metrics) {
  const duration = new client.Histogram({
    name: 'rpps_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'],
    buckets: latencyBuckets,
    registers: [metrics.registry],
  });
  app.addHook('onResponse', (request, reply, done) => {
    // Unmatched URLs share one label: a scanner cannot grow the series without bound.
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    done();
  });
}

/** `Authorization: Bearer <token>` compared in constant time; no token configured: nobody. */
export function metricsTokenMatches(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization) return false;
  const given = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  if (!given) return false;
  const digest = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(digest(given), digest(token));
}
