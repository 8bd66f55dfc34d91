import Fastify from 'fastify';
import { buildApp } from '../src/server/app.ts';
import { systemClock } from '../src/server/context.ts';
import { measure, openBenchDatabase, printTable } from './support.ts';

/**
 * GET /api/structures/{finess} against a bare Fastify hello-world route, both served by this
 * process in the same run: the ratio says what our stack (validation, database, mapping)
 * costs relative to the framework floor on this machine, whatever the machine.
 */
export async function run() {
  const hello = Fastify();
  hello.get('/hello', async () => ({ hello: 'world' }));
  await hello.listen({ port: 0, host: '127.0.0.1' });

  const bench = await openBenchDatabase();
  const app = await buildApp({ config: bench.config, db: bench.handle.db, clock: systemClock }, { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = (server: { server: import('node:http').Server }) => {
    const address = server.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  };

  try {
    const baseline = await measure('hello world (bare Fastify)', `${base(hello)}/hello`);
    const lookup = await measure(`GET /api/structures/{finess} (${bench.handle.backend})`, `${base(app)}/api/structures/690800123`);
    const search = await measure(`GET /api/structures?q=ehpad (${bench.handle.backend})`, `${base(app)}/api/structures?q=ehpad`);
    printTable(baseline, [lookup, search]);
    if (lookup.errors > 0) throw new Error('structure lookup answered errors during the benchmark');
  } finally {
    await app.close();
    await hello.close();
    await bench.close();
  }
}
