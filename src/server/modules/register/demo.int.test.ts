import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { createDashboardService } from '../dashboard/service.ts';
import { demoProfessionals, seedDemoProfessionals } from './demo.ts';

/** The demo professionals of `npm start` (src/server/main.ts), never in the test template. */
let t: TestDatabase;
const clock = fixedClock('2026-11-23T10:00:00Z');
const enqueued: { name: string; payload: unknown }[] = [];
const jobs: JobQueue = {
  async enqueue(_trx, name, payload) {
    enqueued.push({ name, payload });
    return String(enqueued.length);
  },
};
const seed = () => seedDemoProfessionals({ db: t.db, clock, config: t.config, jobs });
const count = async (table: 'person' | 'situation' | 'preregistration' | 'registerEvent') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe('seedDemoProfessionals', () => {
  it('is not part of the demo data of the test template', async () => {
    expect(await count('person')).toBe(0);
    expect(await count('preregistration')).toBe(0);
  });

  it('registers the professionals through the register (audit, events for the directory), ends two situations and queues two requests', async () => {
    await expect(seed()).resolves.toEqual({ seeded: true });
    expect(await count('person')).toBe(demoProfessionals.length);
    const situations = await t.db.selectFrom('situation').select(['egFiness', 'status']).execute();
    expect(situations.filter((s) => s.status === 'ended')).toHaveLength(2);
    // Only EGs of EJ 690800123, which the demo gestionnaires manage.
    const egs = await t.db.selectFrom('structure').select('finess').where('ejFiness', '=', '690800123').execute();
    const tilleuls = new Set(egs.map((e) => e.finess));
    expect(situations.filter((s) => !tilleuls.has(s.egFiness))).toEqual([]);
    expect(new Set(situations.map((s) => s.egFiness)).size).toBeGreaterThanOrEqual(4);
    // The outbox events the directory publication reads, as for a gestionnaire's registration.
    const events = await t.db.selectFrom('registerEvent').select('type').execute();
    expect(events.filter((e) => e.type === 'registration.created')).toHaveLength(demoProfessionals.length);
    const audit = await t.db.selectFrom('auditEvent').select('actorId').where('action', '=', 'person.create').execute();
    expect(audit.map((a) => a.actorId)).toEqual(Array(demoProfessionals.length).fill('demo:fixtures'));
    const requests = await t.db.selectFrom('preregistration').select(['status', 'egFiness']).execute();
    expect(requests).toEqual([
      { status: 'pending', egFiness: '690800206' },
      { status: 'pending', egFiness: '690800206' },
    ]);
    // No real address: every e-mail is on a reserved domain.
    const emails = await t.db.selectFrom('person').select('email').execute();
    expect(emails.every((p) => p.email.endsWith('.invalid'))).toBe(true);
    expect(enqueued.filter((j) => j.name === 'directory.extract')).toEqual([{ name: 'directory.extract', payload: { kind: 'full' } }]);
  });

  it('gives figures to the dashboards of the demo gestionnaires (whole EJ, and their EG only)', async () => {
    const dashboards = createDashboardService({ db: t.db, clock });
    const total = (d: { activeByProfession: { count: number }[] }) => d.activeByProfession.reduce((n, p) => n + p.count, 0);
    const ej = await dashboards.get('all', '690800123');
    expect(total(ej)).toBe(demoProfessionals.length - 2);
    expect(ej.pendingRequests.count).toBe(2);
    const eg = await dashboards.get(['690800206'], '690800206');
    expect(total(eg)).toBe(demoProfessionals.filter((p) => p.egFiness === '690800206' && !p.ended).length);
    expect(eg.pendingRequests.count).toBe(2);
  });

  it('is idempotent: a second start adds nothing', async () => {
    const before = { persons: await count('person'), events: await count('registerEvent'), requests: await count('preregistration') };
    await expect(seed()).resolves.toEqual({ seeded: false });
    expect({ persons: await count('person'), events: await count('registerEvent'), requests: await count('preregistration') }).toEqual(before);
  });

  it('enqueues the first extraction only while no extraction file exists', async () => {
    enqueued.length = 0;
    await t.db
      .insertInto('directoryExtraction')
      .values({ kind: 'full', fileName: 'PS_LibreAcces_202611231000.zip', generatedAt: clock.now(), seqFrom: 0, seqTo: 0 })
      .execute();
    await seed();
    expect(enqueued).toEqual([]);
  });
});
