import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import type { Clock } from '../../src/server/context.ts';
import { createTestDatabase, fixedClock, type TestDatabase } from './db.ts';

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The whole HTTP application on a fresh test database, for `app.inject` tests. */
export async function createTestApp(
  options: { clock?: Clock; env?: Record<string, string>; extend?: (app: FastifyInstance) => void } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(options.env);
  let app: FastifyInstance;
  try {
    app = await buildApp(
      { config: database.config, db: database.db, pglite: database.pglite, clock: options.clock ?? fixedClock('2026-11-23T10:00:00Z') },
      { logger: false },
    );
    options.extend?.(app);
    await app.ready();
  } catch (err) {
    await database.close();
    throw err;
  }
  return {
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
