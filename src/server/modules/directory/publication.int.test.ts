import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { until } from '../../../../tests/support/until.ts';
import { todayOf } from '../../calendar.ts';
import { systemClock } from '../../context.ts';
import { createJobRuntime, type JobRuntime } from '../../jobs/index.ts';
import { createRegisterService, type RegisterService } from '../register/service.ts';
import { actor, distinctRegistration, scope } from '../register/testing.ts';
import { createDirectoryPublication } from './publication.ts';
import { createPublicationWatcher, directoryPublishJob } from './jobs.ts';

/** Publication through the job runtime, as the server runs it (issue 8, acceptance 1). */
let t: TestDatabase;
let runtime: JobRuntime;
let watcher: ReturnType<typeof createPublicationWatcher>;
let register: RegisterService;

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = createJobRuntime({
    database: t,
    databaseUrl: t.config.databaseUrl,
    worker: true,
    jobs: [directoryPublishJob({ db: t.db, clock: systemClock })],
  });
  await runtime.start();
  watcher = createPublicationWatcher({ db: t.db, clock: systemClock, jobs: runtime });
  watcher.start();
  register = createRegisterService({ db: t.db, clock: systemClock, config: t.config });
});
afterAll(async () => {
  await watcher?.stop();
  await runtime?.stop();
  await t?.close();
});

/** Polls for an outcome of the publication job (generous bound; its speed is `npm run bench -- publication`). */
/** A registration starting today by the system clock the jobs run on (a fixed start date would be in the future on an older clock). */
const startingToday = (n: number) => {
  const input = distinctRegistration(n);
  return { ...input, situation: { ...input.situation, startDate: todayOf(systemClock) } };
};
const published = <T>(probe: () => Promise<T | undefined>) => until(probe, { what: 'the publication job' });

describe('publication job', () => {
  it('publishes a registration, and the end of the situation, without anyone asking', async () => {
    const r = await register.registerProfessional(actor, scope, startingToday(4242));
    const practitioner = await published(() => t.db.selectFrom('directoryPractitioner').selectAll().where('rpps', '=', r.rpps).executeTakeFirst());
    expect(practitioner).toMatchObject({ active: true });
    const feed = await t.db.selectFrom('directoryChange').selectAll().where('rpps', '=', r.rpps).execute();
    expect(feed.map((c) => `${c.resourceType}:${c.change}`).sort()).toEqual(['Practitioner:created', 'PractitionerRole:created']);

    await register.endSituation(actor, scope, r.situationId, { endDate: todayOf(systemClock), reason: 'departure' });
    const ended = await published(async () => {
      const role = await t.db.selectFrom('directoryPractitionerRole').selectAll().where('id', '=', r.situationId).executeTakeFirst();
      return role && !role.active ? role : undefined;
    });
    expect(ended).toMatchObject({ active: false });
  });

  it('withdraws a professional whose identity is rejected, and rebuild gives the same read model', async () => {
    const r = await register.registerProfessional(actor, scope, startingToday(4243));
    await published(() => t.db.selectFrom('directoryPractitioner').select('id').where('rpps', '=', r.rpps).executeTakeFirst());
    // Identity rejection (RNIPP check failed): the register marks the person and emits an event.
    await t.db.transaction().execute(async (trx) => {
      const person = await trx.updateTable('person').set({ identityStatus: 'rejected' }).where('rpps', '=', r.rpps).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('registerEvent').values({ type: 'identity.rejected', personId: person.id, situationId: null, payload: JSON.stringify({ rpps: r.rpps }), occurredAt: systemClock.now() }).execute();
    });
    const withdrawn = await published(async () => {
      const p = await t.db.selectFrom('directoryPractitioner').selectAll().where('rpps', '=', r.rpps).executeTakeFirst();
      return p?.withdrawn ? p : undefined;
    });
    expect(withdrawn).toMatchObject({ active: false, family: null, given: null });

    const snapshot = async () => ({
      p: await t.db.selectFrom('directoryPractitioner').select(['id', 'family', 'given', 'active', 'withdrawn', 'versionId']).orderBy('id').execute(),
      r: await t.db.selectFrom('directoryPractitionerRole').select(['id', 'active', 'withdrawn', 'roleCode', 'versionId']).orderBy('id').execute(),
    });
    const before = await snapshot();
    const report = await createDirectoryPublication({ db: t.db, clock: systemClock }).rebuild();
    expect(report.changes).toBe(0);
    expect(await snapshot()).toEqual(before);

    // From an empty read model, rebuild recreates every entry.
    await t.db.deleteFrom('directoryPractitionerRole').execute();
    await t.db.deleteFrom('directoryPractitioner').execute();
    await createDirectoryPublication({ db: t.db, clock: systemClock }).rebuild();
    const after = await snapshot();
    expect(after.p.map((p) => [p.id, p.active, p.withdrawn])).toEqual(before.p.filter((p) => !p.withdrawn).map((p) => [p.id, p.active, p.withdrawn]));
  });
});
