import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app.ts';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../support/db.ts';

export const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/** A free local port, so PUBLIC_URL (OIDC issuer and redirect URIs) is known before listening. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RunningServer {
  baseUrl: string;
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The real application (API + built web app) on a copy of the test database (which holds the
 * fictitious FINESS demo data, see tests/support/global-setup.ts), listening on a random local
 * port, in this process: the browser talks to it exactly as in production.
 */
export async function startServer(): Promise<RunningServer> {
  if (!fs.existsSync(path.join(webDir, 'index.html'))) {
    throw new Error(`The web app is not built (${webDir}/index.html is missing): run \`npx vite build\` (npm test does it).`);
  }
  const database = await createTestDatabase();
  const app = await buildApp(
    { config: database.config, db: database.db, clock: fixedClock('2026-11-23T10:00:00Z') },
    { webDir, logger: false },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (typeof address !== 'object' || address === null) throw new Error('server has no TCP address');
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    app,
    database,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
