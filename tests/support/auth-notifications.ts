import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Database } from '../../src/server/db/database.ts';
import { until } from './until.ts';

/**
 * Waits until the auth-change notifications committed so far reached each instance's session
 * cache: a marker naming no session, sent after them and delivered in order (PostgreSQL delivers
 * them asynchronously; PGlite with the commit).
 */
export async function authNotificationsDelivered(db: Database, ...apps: FastifyInstance[]): Promise<void> {
  const generations = apps.map((app) => app.auth.sessions.cache.generation());
  await sql`select pg_notify('rpps_auth_changes', 's:delivery-marker')`.execute(db);
  await until(async () => (apps.every((app, i) => app.auth.sessions.cache.generation() > generations[i]!) ? true : undefined), {
    what: 'the marker notification',
  });
}
