import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { authNotificationsDelivered } from '../../../../tests/support/auth-notifications.ts';
import { until } from '../../../../tests/support/until.ts';
import { demo, sessionFor, type Session } from '../onboarding/testing.ts';

/**
 * The register EG scope of a person (his EG, and every EG of the EJ he registers for as a whole)
 * is read once per cached session (issue 18) and dropped with it: a change of an EG's EJ notifies
 * every instance (migration reg_20261205T0600_structure_scope_notify) like a change of roles.
 * The session cache is on here (60 s: only a notification can explain a new answer).
 */
let t: TestApp;
let gEj: Session;

const establishments = async () => {
  const res = await gEj.get('/api/register/establishments?q=6908&limit=50');
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Array<{ finess: string }> }).items.map((e) => e.finess);
};
const moveEg = (finess: string, ejFiness: string) => t.database.db.updateTable('structure').set({ ejFiness }).where('finess', '=', finess).execute();

beforeAll(async () => {
  t = await createTestApp({ env: { SESSION_CACHE_SECONDS: '60' } });
  await until(async () => (t.app.auth.sessions.cache.enabled ? true : undefined), { what: 'the instance listening' });
  gEj = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
});
afterAll(() => t?.close());

describe('the register EG scope, cached with the session', () => {
  it('is read once per cached session, and an EG leaving the EJ leaves the scope at once', async () => {
    expect(await establishments()).toEqual(expect.arrayContaining([demo.eg1, demo.eg2]));
    // Moved without a notification (trigger off): the scope is answered from memory.
    await sql`alter table structure disable trigger structure_scope_update`.execute(t.database.db);
    await moveEg(demo.eg2, demo.otherEj);
    await sql`alter table structure enable trigger structure_scope_update`.execute(t.database.db);
    expect(await establishments()).toContain(demo.eg2);

    // A notified change (the FINESS import moving an EG): the next requests read the scope again.
    await moveEg(demo.eg1, demo.otherEj);
    await until(async () => ((await establishments()).includes(demo.eg1) ? undefined : true), { what: 'the moved EG out of the scope' });
    expect(await establishments()).not.toContain(demo.eg2);

    await moveEg(demo.eg1, demo.ej);
    await moveEg(demo.eg2, demo.ej);
    await until(async () => ((await establishments()).includes(demo.eg1) ? true : undefined), { what: 'the EG back in the scope' });
    expect(await establishments()).toEqual(expect.arrayContaining([demo.eg1, demo.eg2]));
  });

  it('a change of a structure that moves no EG sends nothing', async () => {
    await authNotificationsDelivered(t.database.db, t.app);
    await establishments();
    const before = t.app.auth.sessions.cache.size;
    expect(before).toBeGreaterThan(0);
    await t.database.db.updateTable('structure').set({ name: sql`name` }).where('finess', 'in', [demo.ej, demo.eg1]).execute();
    // A notification would have emptied the cache: every one sent before the marker has arrived.
    await authNotificationsDelivered(t.database.db, t.app);
    expect(t.app.auth.sessions.cache.size).toBe(before);
  });

  it('the wizard’s steps keep the instance’s cached sessions; another change of a person empties them', async () => {
    const draft = await gEj.send('POST', '/api/register/drafts');
    expect(draft.statusCode, draft.body).toBe(201);
    expect(t.app.auth.sessions.cache.size).toBeGreaterThan(0);
    const step = await gEj.send('PUT', `/api/register/drafts/${draft.json().id}/declarations`, { accurateAndInformed: true, metInPerson: true });
    expect(step.statusCode, step.body).toBe(200);
    expect(t.app.auth.sessions.cache.size).toBeGreaterThan(0);
    // Any other mutating request of a person (here a refused logout: no CSRF token) empties them.
    await t.app.inject({ method: 'POST', url: '/auth/logout', headers: { cookie: gEj.headers!.cookie! } });
    expect(t.app.auth.sessions.cache.size).toBe(0);
  });
});
