import { buildApp } from '../src/server/app.ts';
import { upsertAccount } from '../src/server/auth/accounts.ts';
import { systemClock } from '../src/server/context.ts';
import { pscSubject } from '../src/server/dev-idp/identities.ts';
import { listenLocally, measure, openBenchDatabase, printTable } from './support.ts';

/**
 * Sessions (issue 18): what a signed-in request costs next to an anonymous one, 10 parallel
 * clients. GET /api/session signed in as a demo gestionnaire (session, account and live roles
 * from the per-process cache, or read in one query without it) vs. the same GET anonymous, beside /health/live (no database) as the
 * same-run baseline. Goal: signed-in time per request ≤ 2× the anonymous one.
 */
const goalRatio = 2;

export async function run() {
  const bench = await openBenchDatabase();
  const { db, backend } = bench.handle;
  // The cache of sessions and roles (5 s, used while this process LISTENs for changes); a second
  // instance without it gives the one-query figure in the same run.
  const withCache = { ...bench.config, auth: { ...bench.config.auth, sessionCacheMs: 5_000 } };
  const app = await buildApp({ config: withCache, db, pglite: bench.handle.pglite, clock: systemClock }, { logger: false });
  const noCache = await buildApp({ config: { ...bench.config, auth: { ...bench.config.auth, sessionCacheMs: 0 } }, db, clock: systemClock }, { logger: false });
  try {
    const baseNoCache = await listenLocally(noCache);
    const base = await listenLocally(app);
    const idnps = '810001111227'; // a demo gestionnaire: two roles in the demo EJ
    const account = await upsertAccount(db, { provider: 'psc', subject: pscSubject(idnps), idnps, familyName: 'BENCH', givenName: 'Bench' }, new Date());
    const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
    const cookie = `${app.auth.cookies.session}=${session.token}`;
    const check = await fetch(`${base}/api/session`, { headers: { cookie } });
    const body = (await check.json()) as { kind: string; roles?: unknown[] };
    if (body.kind !== 'person') throw new Error('the bench session is not signed in');

    const live = await measure(`GET /health/live (${backend})`, `${base}/health/live`);
    const anonymous = await measure(`GET /api/session anonymous (${backend})`, `${base}/api/session`);
    const oneQuery = await measureWithCookie(`GET /api/session signed in, no cache (${backend})`, `${baseNoCache}/api/session`, cookie);
    if (!app.auth.sessions.cache.enabled) throw new Error('the session cache is not listening');
    const signedIn = await measureWithCookie(`GET /api/session signed in, ${body.roles?.length ?? 0} roles, cache (${backend})`, `${base}/api/session`, cookie);
    printTable(live, [anonymous, oneQuery, signedIn]);
    const ratio = anonymous.requestsPerSecond / signedIn.requestsPerSecond;
    process.stdout.write(
      `${'signed-in cost / anonymous cost (10 clients)'.padEnd(44)} ${ratio.toFixed(2).padStart(9)}×  goal ≤ ${goalRatio}×  (p50 ${signedIn.p50} ms vs ${anonymous.p50} ms)\n` +
        `${'  without the cache (one query)'.padEnd(44)} ${(anonymous.requestsPerSecond / oneQuery.requestsPerSecond).toFixed(2).padStart(9)}×\n`,
    );
  } finally {
    await noCache.close();
    await app.close();
    await bench.close();
  }
}

function measureWithCookie(name: string, url: string, cookie: string) {
  return measure(name, url, undefined, { headers: { cookie } });
}
