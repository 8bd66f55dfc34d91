import type { PGlite } from '@electric-sql/pglite';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { Metrics } from './http/metrics.ts';
import type { JobQueue } from './jobs/index.ts';
import type { MailService } from './mail/service.ts';

/** A source of "now", injected so tests can fix the date (STYLE.md §3). */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every module receives: the dependencies it builds its services from. */
export interface AppContext {
  config: Config;
  db: Database;
  clock: Clock;
  /**
   * Background jobs and mail, enqueued inside the business transaction (docs/jobs-and-mail.md).
   * Set by the server; absent where no job runtime runs (e.g. HTTP tests that do not need it).
   */
  jobs?: JobQueue;
  mail?: MailService;
  /**
   * Streaming replica for the public reads (/fhir, /api/directory) when DATABASE_READ_URL is set;
   * undefined: they read the primary (docs/operations.md#read-replica).
   */
  readDb?: Database;
  /** Set by the server on SIGTERM: /health/ready answers 503 so the load balancer drains this process. */
  lifecycle?: { draining: boolean };
  /** This process's Prometheus metrics; buildApp makes its own when absent. */
  metrics?: Metrics;
  /**
   * The embedded database, when running without DATABASE_URL: its LISTEN/NOTIFY is in-process.
   * Absent on PGlite, the session cache stays off (src/server/auth/session-cache.ts).
   */
  pglite?: PGlite;
  /** Tests only: wraps the fetch the relying party uses to reach an identity provider. */
  oidcFetch?: (inner: typeof fetch) => typeof fetch;
}
