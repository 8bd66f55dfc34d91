import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createAgent, signIn } from '../../../../tests/support/auth.ts';
import { createTestDatabase } from '../../../../tests/support/db.ts';
import { buildApp } from '../../app.ts';
import type { Clock } from '../../context.ts';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';

/** Issue 4, acceptance 4: sessions live in the database, not in a process. */
describe('server-side sessions', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  /** A database that outlives app instances: a PGlite directory, or a PostgreSQL database. */
  async function durableDatabase() {
    const base = await createTestDatabase();
    cleanups.push(() => base.close());
    if (base.config.databaseUrl) {
      return { config: base.config, open: () => openDatabase({ databaseUrl: base.config.databaseUrl, dataDir: base.config.dataDir }) };
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-session-'));
    fs.cpSync(inject('templateDir'), dir, { recursive: true });
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const config = Object.freeze({ ...base.config, dataDir: dir });
    return { config, open: () => openDatabase({ databaseUrl: undefined, dataDir: dir }) };
  }

  async function instance(config: Awaited<ReturnType<typeof durableDatabase>>['config'], handle: DatabaseHandle, clock?: Clock) {
    const app = await buildApp({ config, db: handle.db, clock: clock ?? { now: () => new Date() } }, { logger: false });
    await app.ready();
    return app;
  }

  function agentWithJar(app: FastifyInstance, jar: Map<string, string>) {
    const agent = createAgent(app);
    for (const [k, v] of jar) agent.jar.set(k, v);
    return agent;
  }

  it('survive a restart of the server (new app instance, database reopened)', async () => {
    const durable = await durableDatabase();
    let handle = await durable.open();
    let app = await instance(durable.config, handle);
    const agent = createAgent(app);
    await signIn(agent, 'psc', 'gestionnaire-eg');
    await app.close();
    await handle.close();

    handle = await durable.open();
    app = await instance(durable.config, handle);
    cleanups.push(async () => {
      await app.close();
      await handle.close();
    });
    const again = agentWithJar(app, agent.jar);
    const me = (await again.request('GET', '/api/session')).json();
    expect(me).toMatchObject({ kind: 'person', idnps: '3690800206/CPE0042', roles: [{ role: 'gestionnaire', egFiness: '690800206' }] });
  });

  it.runIf(Boolean(inject('templateDatabase')))('are shared by two server instances on the same PostgreSQL', async () => {
    const durable = await durableDatabase();
    const [h1, h2] = [await durable.open(), await durable.open()];
    const [a, b] = [await instance(durable.config, h1), await instance(durable.config, h2)];
    cleanups.push(async () => {
      await a.close();
      await b.close();
      await h1.close();
      await h2.close();
    });
    const onA = createAgent(a);
    await signIn(onA, 'franceconnect', 'fc-le-goff');
    const onB = agentWithJar(b, onA.jar);
    expect((await onB.request('GET', '/api/session')).json()).toMatchObject({ kind: 'person', familyName: 'D’ORNANO' });
    // Logout on B ends the session for A too.
    const out = await onB.request('POST', '/auth/logout', { headers: { 'x-csrf-token': onA.jar.get('rpps_csrf')! } });
    expect(out.statusCode).toBe(200);
    const stale = agentWithJar(a, new Map([...onA.jar]));
    expect((await stale.request('GET', '/api/session')).json()).toEqual({ kind: 'anonymous' });
  });

  it('rotate on login, expire when idle or too old, and see revocations on the next request', async () => {
    const durable = await durableDatabase();
    const handle = await durable.open();
    let now = new Date('2026-11-23T10:00:00Z').getTime();
    const app = await instance(durable.config, handle, { now: () => new Date(now) });
    cleanups.push(async () => {
      await app.close();
      await handle.close();
    });
    const agent = createAgent(app);
    await signIn(agent, 'psc', 'gestionnaire-ej');
    const first = agent.jar.get('rpps_session');
    await signIn(agent, 'psc', 'gestionnaire-ej');
    expect(agent.jar.get('rpps_session')).not.toBe(first);
    const old = agentWithJar(app, new Map([['rpps_session', first!]]));
    expect((await old.request('GET', '/api/session')).json()).toEqual({ kind: 'anonymous' });

    // Revocation of the role: effective on the very next request.
    expect((await agent.request('GET', '/api/session')).json().roles).toHaveLength(1);
    await handle.db.updateTable('staffRole').set({ revokedAt: new Date(now) }).where('idnps', '=', '810001111227').execute();
    expect((await agent.request('GET', '/api/session')).json().roles).toEqual([]);

    // Idle timeout (30 min by default), then absolute timeout (12 h) even when active.
    now += 29 * 60_000;
    expect((await agent.request('GET', '/api/session')).json().kind).toBe('person');
    now += 31 * 60_000;
    expect((await agent.request('GET', '/api/session')).json().kind).toBe('anonymous');

    await signIn(agent, 'psc', 'gestionnaire-ej');
    for (let i = 0; i < 12 * 3; i++) {
      now += 20 * 60_000;
      await agent.request('GET', '/api/session');
    }
    expect((await agent.request('GET', '/api/session')).json().kind).toBe('anonymous');
  });
});
