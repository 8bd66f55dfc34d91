import { type AnyJobDefinition, createJobRuntime, type JobRuntime } from '../../src/server/jobs/index.ts';
import type { TestDatabase } from './db.ts';

/** A worker on the test database running only `jobs`, polled every 0.5 s (the caller starts it). */
export function testJobRuntime(t: TestDatabase, jobs: AnyJobDefinition[]): JobRuntime {
  return createJobRuntime({ database: t, databaseUrl: t.config.databaseUrl, worker: true, pollingIntervalSeconds: 0.5, jobs });
}
