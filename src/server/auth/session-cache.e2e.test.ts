import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, secondHandle, type TestDatabase } from '../../../tests/support/db.ts';
import { authNotificationsDelivered } from '../../../tests/support/auth-notifications.ts';
import { until } from '../../../tests/support/until.ts';
import { buildApp } from '../app.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { upsertAccount } from './accounts.ts';
import { createSessionCache, listenPostgres } from './session-cache.ts';

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const idnps = '899990000001';

describe('session cache (unit)', () => {
  const entry = (accountId: string, idnps: string | null) => ({ accountId, idnps });

  it('serves nothing while not listening, and empties itself when listening starts or stops', () => {
    const cache = createSessionCache<ReturnType<typeof entry>>({ ttlMs: 60_000, maxEntries: 10 });
    cache.set('s1', entry('a1', 'i1'), cache.generation());
    expect(cache.get('s1')).toBeUndefined();
    cache.setListening(true);
    cache.set('s1', entry('a1', 'i1'), cache.generation());
    expect(cache.get('s1')).toEqual(entry('a1', 'i1'));
    cache.setListening(false);
    expect(cache.get('s1')).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('s1')).toBeUndefined();
  });

  it('drops the entries a notification names, and refuses a read that began before a notification', () => {
    const cache = createSessionCache<ReturnType<typeof entry>>({ ttlMs: 60_000, maxEntries: 10 });
    cache.setListening(true);
    const fill = () => {
      for (const [s, a, i] of [['s1', 'a1', 'i1'], ['s2', 'a1', 'i2'], ['s3', 'a3', 'i3']] as const) cache.set(s, entry(a, i), cache.generation());
    };
    fill();
    cache.notified('s:s1');
    expect([cache.get('s1'), cache.get('s2'), cache.get('s3')].map(Boolean)).toEqual([false, true, true]);
    fill();
    cache.notified('a:a1');
    expect([cache.get('s1'), cache.get('s2'), cache.get('s3')].map(Boolean)).toEqual([false, false, true]);
    fill();
    cache.notified('i:i3');
    expect([cache.get('s1'), cache.get('s2'), cache.get('s3')].map(Boolean)).toEqual([true, true, false]);
    cache.notified('*');
    expect(cache.size).toBe(0);

    const before = cache.generation();
    cache.notified('i:someone-else');
    cache.set('s1', entry('a1', 'i1'), before);
    expect(cache.get('s1')).toBeUndefined();
  });

  it('forgets an entry after its time to live and keeps at most maxEntries', () => {
    let t = 0;
    const cache = createSessionCache<ReturnType<typeof entry>>({ ttlMs: 1000, maxEntries: 2, now: () => t });
    cache.setListening(true);
    cache.set('s1', entry('a1', null), cache.generation());
    cache.set('s2', entry('a2', null), cache.generation());
    cache.set('s3', entry('a3', null), cache.generation());
    expect(cache.get('s1')).toBeUndefined();
    expect(cache.get('s3')).toBeDefined();
    t = 1000;
    expect(cache.get('s3')).toBeUndefined();
  });
});

/**
 * Two app instances on one database (two pools on PostgreSQL, as two processes would have; one
 * PGlite shared in-process), each with its own session cache (time to live 60 s, so only a
 * notification can explain a refusal).
 */
describe('session cache across instances', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  async function twoInstances() {
    const database = await createTestDatabase({ SESSION_CACHE_SECONDS: '60' });
    cleanups.push(() => database.close());
    const second = await secondHandle(database, cleanups);
    const start = async (handle: DatabaseHandle) => {
      const app = await buildApp({ config: database.config, db: handle.db, pglite: database.pglite, clock }, { logger: false });
      await app.ready();
      cleanups.push(() => app.close());
      await until(async () => (app.auth.sessions.cache.enabled ? true : undefined), { what: 'the instance listening' });
      return app;
    };
    const a = await start(database);
    const b = await start(second);
    await database.db
      .insertInto('staffRole')
      .values({ idnps, role: 'gestionnaire', ejFiness: '750000001', egFiness: null, source: 'test:cache', createdAt: clock.now() })
      .execute();
    // The grant's notification reaches each instance when PostgreSQL delivers it: arriving after a
    // test's first request, it would drop the entry that request cached.
    await authNotificationsDelivered(database.db, a, b);
    const account = await upsertAccount(database.db, { provider: 'psc', subject: `test-${idnps}`, idnps, familyName: 'CACHE', givenName: 'Test' }, clock.now());
    const session = await a.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
    const cookie = `${a.auth.cookies.session}=${session.token}`;
    return { database, a, b, cookie };
  }

  const rolesOf = async (app: FastifyInstance, cookie: string) => {
    const res = await app.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    const body = res.json() as { kind: string; roles?: Array<{ role: string }> };
    return body.kind === 'person' ? body.roles!.map((r) => r.role) : body.kind;
  };

  /** A role change no notification tells of (triggers off): only a bypassed cache can see it. */
  async function silentlyRevoke(database: TestDatabase) {
    await sql`alter table staff_role disable trigger staff_role_auth_change`.execute(database.db);
    await database.db.updateTable('staffRole').set({ revokedAt: clock.now() }).where('idnps', '=', idnps).execute();
    await sql`alter table staff_role enable trigger staff_role_auth_change`.execute(database.db);
  }

  it('answers from memory, and a revocation committed by instance A is refused by instance B at its next request', async () => {
    const { database, a, b, cookie } = await twoInstances();
    expect(await rolesOf(b, cookie)).toEqual(['gestionnaire']);
    expect(b.auth.sessions.cache.size).toBe(1);

    // Instance A's revocation: one transaction, its NOTIFY sent at commit by the trigger.
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('staffRole').set({ revokedAt: clock.now() }).where('idnps', '=', idnps).execute();
    });
    if (!database.config.databaseUrl) {
      // PGlite delivers the notification in-process with the commit: the very next request.
      expect(await rolesOf(b, cookie)).toEqual([]);
    } else {
      // PostgreSQL: as soon as the notification reaches B's listening connection (the time to live is 60 s).
      await until(async () => ((await rolesOf(b, cookie)) as string[]).length === 0 || undefined, { what: 'B refusing the revoked role' });
    }
    expect(await rolesOf(a, cookie)).toEqual([]);

    // Logout on A: B no longer knows the session.
    const me = await a.inject({ method: 'GET', url: '/api/session', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    await a.auth.sessions.destroy((await a.auth.sessions.resolve(cookie.split('=')[1]!))!.sessionId);
    await until(async () => ((await rolesOf(b, cookie)) === 'anonymous' ? true : undefined), { what: 'B forgetting the session' });
  });

  it('a change that sends no notification stays unseen while listening, and is seen at once when the listening connection is lost', async () => {
    const { database, b, cookie } = await twoInstances();
    expect(await rolesOf(b, cookie)).toEqual(['gestionnaire']);
    await silentlyRevoke(database);
    expect(await rolesOf(b, cookie)).toEqual(['gestionnaire']); // proof that B answers from memory

    if (database.config.databaseUrl) {
      // The listening connections are terminated by the server: B bypasses its cache (then listens again, empty).
      const admin = new pg.Client({ connectionString: database.config.databaseUrl });
      await admin.connect();
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rpps-auth-listener' and datname = current_database()`);
      await admin.end();
      await until(async () => (b.auth.sessions.cache.size === 0 ? true : undefined), { what: 'the cache emptied' });
    } else {
      b.auth.sessions.cache.setListening(false);
    }
    expect(await rolesOf(b, cookie)).toEqual([]);
  });

  it('a change made by a signed-in person on this instance empties its cache before the answer leaves', async () => {
    const { database, b, cookie } = await twoInstances();
    expect(await rolesOf(b, cookie)).toEqual(['gestionnaire']);
    await silentlyRevoke(database);
    expect(await rolesOf(b, cookie)).toEqual(['gestionnaire']);
    // Any mutating request of a person (here a refused one: no CSRF token) counts as a change of this instance.
    await b.inject({ method: 'POST', url: '/auth/logout', headers: { cookie } });
    expect(await rolesOf(b, cookie)).toEqual([]);
  });

  it.runIf(Boolean(inject('templateDatabase')))('PostgreSQL: a lost LISTEN connection turns the cache off until it listens again', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const cache = createSessionCache<{ accountId: string; idnps: string | null }>({ ttlMs: 60_000, maxEntries: 10 });
    const listener = listenPostgres(database.config.databaseUrl!, {
      onNotification: cache.notified,
      onListening: cache.setListening,
      heartbeatMs: 200,
      retryMs: 200,
    });
    cleanups.push(() => listener.stop());
    await until(async () => (cache.enabled ? true : undefined), { what: 'listening' });
    cache.set('s1', { accountId: 'a1', idnps: 'i1' }, cache.generation());
    expect(cache.get('s1')).toBeDefined();

    const admin = new pg.Client({ connectionString: database.config.databaseUrl });
    await admin.connect();
    const ended = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rpps-auth-listener' and datname = current_database()`);
    expect(ended.rowCount).toBe(1);
    await until(async () => (cache.get('s1') === undefined ? true : undefined), { what: 'the entry dropped' });
    await until(async () => (cache.enabled ? true : undefined), { what: 'listening again' });
    expect(cache.get('s1')).toBeUndefined();

    // Listening again for real: a notification sent now arrives.
    cache.set('s2', { accountId: 'a2', idnps: 'i2' }, cache.generation());
    await admin.query(`select pg_notify('rpps_auth_changes', 's:s2')`);
    await admin.end();
    await until(async () => (cache.get('s2') === undefined ? true : undefined), { what: 'the notification' });
  });
});
