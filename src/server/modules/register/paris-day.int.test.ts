import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { createRegisterDrafts } from './drafts.ts';
import { registerDaily } from './jobs.ts';
import { createRegisterService } from './service.ts';
import { actor, distinctRegistration, etatCivil, registration, scope } from './testing.ts';

/**
 * "Today" is the day in Paris (src/server/calendar.ts), also in the first hour(s) after midnight
 * when the UTC date is still the day before. The two instants are 00:30 in Paris on the nights
 * the clocks change in 2026: 29 March (still winter time, UTC+1) and 25 October (still summer
 * time, UTC+2).
 */
let t: TestDatabase;
const beforeEnds = fixedClock('2026-03-20T10:00:00Z');
const march = { instant: '2026-03-28T23:30:00Z', today: '2026-03-29', tomorrow: '2026-03-30' };
const october = { instant: '2026-10-24T22:30:00Z', today: '2026-10-25', tomorrow: '2026-10-26' };

const serviceAt = (clock: { now(): Date }) => createRegisterService({ db: t.db, clock, config: t.config });
const startingInJanuary = (n: number) => distinctRegistration(n, { situation: { ...registration(n).situation, startDate: '2026-01-05' } });

async function situationOf(n: number) {
  const { situationId } = await serviceAt(beforeEnds).registerProfessional(actor, scope, startingInJanuary(n));
  return situationId;
}
const statusOf = async (id: string) => (await t.db.selectFrom('situation').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

describe.each([march, october])('at 00:30 in Paris ($instant)', ({ instant, today, tomorrow }) => {
  const atInstant = fixedClock(instant);

  it('the register validation takes the Paris date as today', async () => {
    const service = serviceAt(atInstant);
    // A birth date of today is not "in the future"; tomorrow is.
    const born = await service.validation.checkEtatCivil(etatCivil({ birthDate: today }));
    expect(born.errors.map((e) => e.pointer)).not.toContain('/body/birthDate');
    const future = await service.validation.checkEtatCivil(etatCivil({ birthDate: tomorrow }));
    expect(future.errors).toContainEqual(expect.objectContaining({ pointer: '/body/birthDate', detail: 'La date de naissance ne peut pas être dans le futur.' }));

    // Ending a situation today is an end, not a scheduled end.
    const n = instant === march.instant ? 10 : 20;
    const ended = await situationOf(n);
    await expect(service.scheduleEnd(actor, scope, ended, { endDate: today, reason: 'departure' })).rejects.toMatchObject({ code: 'register-invalid', errors: [expect.objectContaining({ pointer: '/body/endDate' })] });
    expect((await service.endSituation(actor, scope, ended, { endDate: today, reason: 'departure' })).status).toBe('ended');
    const scheduled = await situationOf(n + 1);
    await expect(service.endSituation(actor, scope, scheduled, { endDate: tomorrow, reason: 'departure' })).rejects.toMatchObject({ code: 'register-invalid', errors: [expect.objectContaining({ pointer: '/body/endDate' })] });
    expect((await service.scheduleEnd(actor, scope, scheduled, { endDate: tomorrow, reason: 'departure' })).endDate).toBe(tomorrow);
  });

  it('the daily job (00:05 in Paris) ends the situation whose end is today in Paris, not the one ending tomorrow', async () => {
    const n = instant === march.instant ? 30 : 40;
    const endsToday = await situationOf(n);
    const endsTomorrow = await situationOf(n + 1);
    const schedule = serviceAt(beforeEnds);
    await schedule.scheduleEnd(actor, scope, endsToday, { endDate: today, reason: 'interim-end' });
    await schedule.scheduleEnd(actor, scope, endsTomorrow, { endDate: tomorrow, reason: 'interim-end' });

    const run = async (clock: { now(): Date }) => {
      const register = serviceAt(clock);
      return registerDaily(register, createRegisterDrafts({ db: t.db, clock, register }));
    };
    // One minute before midnight in Paris: nothing yet.
    await run(fixedClock(new Date(Date.parse(instant) - 31 * 60_000).toISOString()));
    expect(await statusOf(endsToday)).toBe('active');

    await run(atInstant);
    expect(await statusOf(endsToday)).toBe('ended');
    expect(await statusOf(endsTomorrow)).toBe('active');
  });
});
