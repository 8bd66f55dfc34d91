import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, secondHandle, type TestDatabase } from '../../../../tests/support/db.ts';
import { until } from '../../../../tests/support/until.ts';
import { buildApp } from '../../app.ts';
import type { DatabaseHandle } from '../../db/database.ts';
import { createNotifiedCache } from '../../db/notify-cache.ts';
import { createMetrics } from '../../http/metrics.ts';
import { createDirectoryPublication } from '../directory/publication.ts';
import { createRegisterService } from '../register/service.ts';
import { actor, distinctRegistration, egInScope, scope } from '../register/testing.ts';
import { keysOfNotification, readCacheFigures } from './read-cache.ts';

describe('notified cache (unit)', () => {
  it('serves nothing while not listening, and empties itself when listening starts or stops', () => {
    const cache = createNotifiedCache<string>({ maxEntries: 10 });
    cache.set('k', 'v', cache.generation());
    expect(cache.get('k')).toBeUndefined();
    cache.setListening(true);
    cache.set('k', 'v', cache.generation());
    expect(cache.get('k')).toBe('v');
    cache.setListening(false);
    expect(cache.get('k')).toBeUndefined();
    cache.setListening(true);
    expect(cache.get('k')).toBeUndefined();
  });

  it('drops the keys a notification names, every key on `*`, and refuses a read that began before a notification', () => {
    const cache = createNotifiedCache<string>({ maxEntries: 10 });
    cache.setListening(true);
    for (const k of ['a', 'b', 'c']) cache.set(k, k, cache.generation());
    cache.invalidate(['a', 'c']);
    expect(['a', 'b', 'c'].map((k) => cache.get(k))).toEqual([undefined, 'b', undefined]);
    cache.invalidate('*');
    expect(cache.size).toBe(0);
    const before = cache.generation();
    cache.invalidate(['other']);
    cache.set('a', 'stale', before);
    expect(cache.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries (oldest out first), nothing at 0, and forgets an entry after its time to live', () => {
    let t = 0;
    const cache = createNotifiedCache<string>({ maxEntries: 2, ttlMs: 1000, now: () => t });
    cache.setListening(true);
    for (const k of ['a', 'b', 'c']) cache.set(k, k, cache.generation());
    expect([cache.get('a'), cache.get('c')]).toEqual([undefined, 'c']);
    t = 1000;
    expect(cache.get('c')).toBeUndefined();
    const off = createNotifiedCache<string>({ maxEntries: 0 });
    off.setListening(true);
    off.set('a', 'a', off.generation());
    expect([off.enabled, off.get('a')]).toEqual([false, undefined]);
  });

  it('reads the keys of the directory triggers’ payloads', () => {
    expect(keysOfNotification('p:10100000001,10100000019')).toEqual(['Practitioner/10100000001', 'Practitioner/10100000019']);
    expect(keysOfNotification('r:0b0e7a2c-7d55-4a53-9a3c-2f9c3f6f1e01')).toEqual(['PractitionerRole/0b0e7a2c-7d55-4a53-9a3c-2f9c3f6f1e01']);
    expect(keysOfNotification('o:690800206')).toEqual(['Organization/org-690800206']);
    expect(keysOfNotification('*')).toBe('*');
    expect(keysOfNotification('x:1')).toBe('*');
  });
});

/**
 * Two app instances on one database (two pools on PostgreSQL, as two processes would have; one
 * PGlite shared in-process), each with its own FHIR read cache; the publication runs beside them,
 * as the job of any instance would.
 */
describe('FHIR read cache across instances', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });
  let now = new Date('2026-11-23T10:00:00Z');
  const clock = { now: () => now };

  async function twoInstances() {
    now = new Date('2026-11-23T10:00:00Z');
    const database = await createTestDatabase({ FHIR_READ_CACHE_ENTRIES: '1000' });
    cleanups.push(() => database.close());
    const second = await secondHandle(database, cleanups);
    const start = async (handle: DatabaseHandle) => {
      const metrics = createMetrics();
      const app = await buildApp({ config: database.config, db: handle.db, pglite: database.pglite, clock, metrics }, { logger: false });
      await app.ready();
      cleanups.push(() => app.close());
      const figures = () => readCacheFigures(metrics.registry);
      await until(async () => ((await figures()).listening === 1 ? true : undefined), { what: 'the instance listening' });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk arbitrary FHIR JSON
      const read = async (url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any; etag: string }> => {
        const res = await app.inject({ method: 'GET', url, headers });
        return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, etag: String(res.headers.etag) };
      };
      return { app, figures, read };
    };
    const a = await start(database);
    const b = await start(second);
    const register = createRegisterService({ db: database.db, clock, config: database.config });
    const publication = createDirectoryPublication({ db: database.db, clock });
    return { database, a, b, register, publish: () => publication.publishPending() };
  }

  /** On PGlite the notification is delivered in-process with the commit: the very next read. On PostgreSQL, as soon as it reaches the listening connection. */
  const eventually = async <T>(database: TestDatabase, probe: () => Promise<T | undefined>, what: string) => {
    if (!database.config.databaseUrl) {
      const v = await probe();
      expect(v, what).toBeDefined();
      return v!;
    }
    return until(probe, { what });
  };

  it('answers a read by id from memory, and never serves a Practitioner or PractitionerRole after the publication withdrew it', async () => {
    const { database, b, register, publish } = await twoInstances();
    const r = await register.registerProfessional(actor, scope, distinctRegistration(1101));
    await publish();
    const practitioner = `/fhir/Practitioner/${r.rpps}`;
    const role = `/fhir/PractitionerRole/${r.situationId}`;
    expect((await b.read(practitioner)).body.name).toBeDefined();
    expect((await b.read(role)).body.code).toBeDefined();
    const before = await b.figures();
    const again = await b.read(practitioner);
    expect(again.body.name).toBeDefined();
    expect((await b.read(`/fhir/PractitionerRole/${r.situationId.toUpperCase()}`)).body.code).toBeDefined();
    expect(await b.figures()).toMatchObject({ hits: before.hits! + 2, entries: 2 });
    // The cached answer carries the same validators: If-None-Match still gives 304.
    expect((await b.read(practitioner, { 'if-none-match': again.etag })).status).toBe(304);

    // The situation deleted in the register, published (a transaction of the publication): withdrawn.
    await register.deleteSituation(actor, scope, r.situationId);
    await publish();
    const withdrawn = await eventually(database, async () => {
      const p = await b.read(practitioner);
      return p.body.name === undefined ? p : undefined;
    }, 'B serving the withdrawn Practitioner');
    expect(withdrawn.body).toMatchObject({ active: false, identifier: expect.any(Array) });
    const gone = await eventually(database, async () => {
      const x = await b.read(role);
      return x.body.code === undefined ? x : undefined;
    }, 'B serving the withdrawn PractitionerRole');
    expect(gone.body).toMatchObject({ active: false });
    expect(gone.body.organization).toBeUndefined();
    // And from then on, every read says so.
    for (let i = 0; i < 3; i++) expect((await b.read(practitioner)).body.name).toBeUndefined();
  });

  it('a change that sends no notification stays unseen while listening, and is seen once the listening connection is lost', async () => {
    const { database, b, register, publish } = await twoInstances();
    const r = await register.registerProfessional(actor, scope, distinctRegistration(1102));
    await publish();
    const url = `/fhir/Practitioner/${r.rpps}`;
    const family = (await b.read(url)).body.name[0].family as string;
    await sql`alter table directory_practitioner disable trigger directory_practitioner_read_cache_update`.execute(database.db);
    await database.db.updateTable('directoryPractitioner').set({ family: 'SILENCIEUX' }).where('id', '=', r.rpps).execute();
    await sql`alter table directory_practitioner enable trigger directory_practitioner_read_cache_update`.execute(database.db);
    expect((await b.read(url)).body.name[0].family).toBe(family); // proof that B answers from memory

    if (!database.config.databaseUrl) return; // PGlite: its in-process listener cannot be lost (the unit tests cover a lost listener)
    const admin = new pg.Client({ connectionString: database.config.databaseUrl });
    await admin.connect();
    const ended = await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'rpps-directory-listener' and datname = current_database()`);
    await admin.end();
    expect(ended.rowCount).toBe(2);
    await until(async () => ((await b.figures()).entries === 0 ? true : undefined), { what: 'the cache emptied' });
    expect((await b.read(url)).body.name[0].family).toBe('SILENCIEUX');
    await until(async () => ((await b.figures()).listening === 1 ? true : undefined), { what: 'listening again' });
  });

  it('a statement changing more than 100 resources empties the cache (one notification `*`)', async () => {
    const { database, b } = await twoInstances();
    // 150 entries written straight into the read model (ids outside the allocation range).
    await sql`insert into directory_practitioner (id, rpps, family, given, family_search, given_search, name_search, active, last_updated)
      select lpad(n::text, 11, '0'), lpad(n::text, 11, '0'), 'MASSE', 'Anne', 'masse', 'anne', 'masse anne', true, now()
      from generate_series(1, 150) n`.execute(database.db);
    const url = '/fhir/Practitioner/00000000001';
    expect((await b.read(url)).body.name[0].family).toBe('MASSE');
    expect((await b.figures()).entries).toBe(1);
    await sql`update directory_practitioner set family = 'NOUVEAU', version_id = version_id + 1 where family = 'MASSE'`.execute(database.db);
    const changed = await eventually(database, async () => {
      const p = await b.read(url);
      return p.body.name[0].family === 'NOUVEAU' ? p : undefined;
    }, 'B serving the new name');
    expect(changed.body.meta.versionId).toBe('2');
  });

  it('an Organization: a FINESS change is seen, and its `active` follows the date without any change', async () => {
    const { database, b } = await twoInstances();
    const url = `/fhir/Organization/org-${egInScope}`;
    expect((await b.read(url)).body.active).toBe(true);
    await database.db.updateTable('structure').set({ closedOn: '2026-11-24', updatedAt: now }).where('finess', '=', egInScope).execute();
    const closing = await eventually(database, async () => {
      const o = await b.read(url);
      return o.body.extension?.[0]?.valuePeriod?.end === '2026-11-24' ? o : undefined;
    }, 'B serving the closing date');
    expect(closing.body.active).toBe(true);
    expect((await b.read(url)).body.active).toBe(true);
    // Two days later: closed, though nothing changed in the database.
    now = new Date('2026-11-25T10:00:00Z');
    expect((await b.read(url)).body.active).toBe(false);
  });
});
