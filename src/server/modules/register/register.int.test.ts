import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { DomainError } from '../../errors.ts';
import { isValidRpps } from '../../identifiers.ts';
import { differentPeople, registeredA, registeredB, sameIdentityVariants } from './duplicate-cases.ts';
import { createRegisterService, type RegisterService } from './service.ts';
import { actor, distinctRegistration, egInScope, egOutOfScope, otherEgInScope, registration, scope } from './testing.ts';

let database: TestDatabase;
let service: RegisterService;

beforeAll(async () => {
  database = await createTestDatabase();
  service = createRegisterService({ db: database.db, clock: fixedClock('2026-11-23T10:00:00Z'), config: database.config });
});
afterAll(() => database?.close());

async function failure(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a domain error');
}

const counts = async () => ({
  persons: Number((await database.db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  situations: Number((await database.db.selectFrom('situation').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  events: Number((await database.db.selectFrom('registerEvent').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
});

describe('registerProfessional', () => {
  it('creates person, number, situation, history, audit and event in one go', async () => {
    const result = await service.registerProfessional(actor, scope, registration(1, { etatCivil: { birthName: 'Bénard', firstNames: ['Léa'], birthDate: '1999-01-20' } }));
    expect(isValidRpps(result.rpps)).toBe(true);
    expect(result.rpps.startsWith('109')).toBe(true);

    const person = await database.db.selectFrom('person').selectAll().where('rpps', '=', result.rpps).executeTakeFirstOrThrow();
    expect(person).toMatchObject({ birthName: 'BENARD', firstNames: ['LEA'], email: 'pro1@exemple.fr', mobile: '+33610000001', identityStatus: 'to_verify' });
    const situation = await database.db.selectFrom('situation').selectAll().where('personId', '=', person.id).executeTakeFirstOrThrow();
    expect(situation).toMatchObject({ egFiness: egInScope, status: 'active', exerciseLastName: 'Bénard', exerciseFirstName: 'Léa', createdBy: actor.id });

    const versions = await database.db.selectFrom('personVersion').selectAll().where('personId', '=', person.id).execute();
    expect(versions).toHaveLength(1);
    const audit = await database.db.selectFrom('auditEvent').selectAll().where('actorId', '=', actor.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['person.create', 'situation.create']);
    // État civil and contact never reach the audit trail or the events.
    const published = JSON.stringify([audit, await database.db.selectFrom('registerEvent').selectAll().execute()]);
    for (const secret of ['pro1@exemple.fr', '+33610000001', '1999-01-20', 'birthName', 'firstNames', 'birthCommuneCode']) {
      expect(published).not.toContain(secret);
    }
    const event = await database.db.selectFrom('registerEvent').selectAll().where('personId', '=', person.id).executeTakeFirstOrThrow();
    expect(event.type).toBe('registration.created');
    expect(event.payload).toMatchObject({ rpps: result.rpps, egFiness: egInScope, roleCode: 'GENR11' });
  });

  it('refuses an EG outside the scope before reading anything (403)', async () => {
    const err = await failure(service.registerProfessional(actor, scope, { ...registration(2), situation: { ...registration(2).situation, egFiness: egOutOfScope } }));
    expect(err.status).toBe(403);
    expect(err.code).toBe('eg-out-of-scope');
  });

  it.each([
    ['missing birth name', registration(3, { etatCivil: { birthName: '' } }), '/body/etatCivil/birthName'],
    ['digits in a name', registration(3, { etatCivil: { birthName: 'Dupont2' } }), '/body/etatCivil/birthName'],
    ['no first name', registration(3, { etatCivil: { firstNames: [] } }), '/body/etatCivil/firstNames'],
    ['bad second first name', registration(3, { etatCivil: { firstNames: ['Marie', 'Cl@ire'] } }), '/body/etatCivil/firstNames/1'],
    ['future birth date', registration(3, { etatCivil: { birthDate: '2027-01-01' } }), '/body/etatCivil/birthDate'],
    ['impossible birth date', registration(3, { etatCivil: { birthDate: '1985-02-30' } }), '/body/etatCivil/birthDate'],
    ['unknown civilité', registration(3, { etatCivil: { civilite: 'XX' } }), '/body/etatCivil/civilite'],
    ['sexe UN not offered', registration(3, { etatCivil: { sexe: 'UN' } }), '/body/etatCivil/sexe'],
    ['unknown country', registration(3, { etatCivil: { birthCountryCode: '12345' } }), '/body/etatCivil/birthCountryCode'],
    ['unknown commune', registration(3, { etatCivil: { birthCommuneCode: '69999' } }), '/body/etatCivil/birthCommuneCode'],
    ['France without commune', registration(3, { etatCivil: { birthCommuneCode: null } }), '/body/etatCivil/birthCommuneCode'],
    ['commune for a birth abroad', registration(3, { etatCivil: { birthCountryCode: '99109' } }), '/body/etatCivil/birthCommuneCode'],
    ['bad e-mail', { ...registration(3), contact: { email: 'pas-une-adresse', mobile: '0610000003' } }, '/body/contact/email'],
    ['missing mobile', { ...registration(3), contact: { email: 'x3@exemple.fr', mobile: '' } }, '/body/contact/mobile'],
    ['landline as mobile', { ...registration(3), contact: { email: 'x3@exemple.fr', mobile: '01 45 00 00 00' } }, '/body/contact/mobile'],
    ['mobile already used', { ...registration(3), contact: { email: 'x3@exemple.fr', mobile: '+33 6 10 00 00 01' } }, '/body/contact/mobile'],
    ['e-mail already used (case-insensitive)', { ...registration(3), contact: { email: 'PRO1@exemple.fr', mobile: '0610000003' } }, '/body/contact/email'],
    ['libéral mode', { ...registration(3), situation: { ...registration(3).situation, modeCode: 'L' } }, '/body/situation/modeCode'],
    ['unknown profession', { ...registration(3), situation: { ...registration(3).situation, professionCode: '999' } }, '/body/situation/professionCode'],
    ['deprecated profession 318', { ...registration(3), situation: { ...registration(3).situation, professionCode: '318' } }, '/body/situation/professionCode'],
    ['unknown role', { ...registration(3), situation: { ...registration(3).situation, roleCode: 'GENR99' } }, '/body/situation/roleCode'],
    ['missing role', { ...registration(3), situation: { ...registration(3).situation, roleCode: undefined } }, '/body/situation/roleCode'],
    ['start before the EG opened', { ...registration(3), situation: { ...registration(3).situation, startDate: '1990-01-01' } }, '/body/situation/startDate'],
    ['younger than 14 at start', registration(3, { etatCivil: { birthDate: '2013-01-01' } }), '/body/situation/startDate'],
    ['EJ instead of EG', { ...registration(3), situation: { ...registration(3).situation, egFiness: '690800123' } }, '/body/situation/egFiness'],
  ])('422 on %s, nothing written', async (_label, input, pointer) => {
    const before = await counts();
    const err = await failure(service.registerProfessional(actor, [...scope, '690800123'], input));
    expect(err.status).toBe(422);
    expect(err.code).toBe('register-invalid');
    expect(err.errors.map((e) => e.pointer)).toContain(pointer);
    expect(err.errors.every((e) => /[a-zéèàçù]/.test(e.detail))).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('explains why libéral is refused', async () => {
    const err = await failure(service.registerProfessional(actor, scope, { ...registration(3), situation: { ...registration(3).situation, modeCode: 'L' } }));
    expect(err.errors[0]!.detail).toMatch(/libéraux/);
  });

  it('names a FINESS of the right shape that is no structure, for an actor of every EG too (no scope refusal first)', async () => {
    // Luhn-valid, in no seed: the structure read answers "nothing there", which the rules must take as an answer.
    const unknown = '690899992';
    const input = distinctRegistration(501);
    const err = await failure(service.registerProfessional(actor, 'all', { ...input, situation: { ...input.situation, egFiness: unknown } }));
    expect(err.code).toBe('register-invalid');
    expect(err.errors).toEqual([{ pointer: '/body/situation/egFiness', detail: `Aucune structure ne porte le numéro FINESS ${unknown}.` }]);
  });

  it('accepts an international mobile in E.164', async () => {
    const r = await service.registerProfessional(actor, scope, {
      ...distinctRegistration(500),
      contact: { email: 'intl@exemple.fr', mobile: '+32 470 12 34 56' },
    });
    const p = await database.db.selectFrom('person').select('mobile').where('rpps', '=', r.rpps).executeTakeFirstOrThrow();
    expect(p.mobile).toBe('+32470123456');
  });
});

describe('duplicates', () => {
  beforeAll(async () => {
    await service.registerProfessional(actor, scope, { ...registration(100), etatCivil: registeredA });
    await service.registerProfessional(actor, scope, { ...registration(101), etatCivil: registeredB });
  });

  it.each(sameIdentityVariants)('catches: %s', async (_label, input, expected) => {
    const found = await service.checkDuplicates(input, scope);
    expect(found[expected]).toHaveLength(1);
  });

  it.each(differentPeople)('does not block: %s', async (_label, input) => {
    expect(await service.checkDuplicates(input, scope)).toEqual({ exact: [], likely: [] });
  });

  it('a likely match stops the registration with the candidates (number, exercise name, birth year only)', async () => {
    const before = await counts();
    const err = await failure(service.registerProfessional(actor, scope, { ...registration(102), etatCivil: { ...registeredA, birthName: 'Lefevbre' } }));
    expect(err.status).toBe(409);
    expect(err.code).toBe('duplicate-person');
    const candidates = (err as unknown as { candidates: object[] }).candidates;
    expect(candidates).toHaveLength(1);
    expect(Object.keys(candidates[0]!).sort()).toEqual(['birthYear', 'exerciseFirstName', 'exerciseLastName', 'inScope', 'rpps']);
    expect(candidates[0]).toMatchObject({ exerciseLastName: 'Lefèvre', exerciseFirstName: 'Marie-Hélène', birthYear: 1985 });
    expect(await counts()).toEqual(before);
  });

  it('an exact match never creates a second person, even when declared different', async () => {
    const existing = await service.checkDuplicates(registeredA, scope);
    const err = await failure(
      service.registerProfessional(actor, scope, {
        ...registration(103),
        etatCivil: { ...registeredA, firstNames: ['Claire', 'Marie Hélène'] },
        notDuplicateOf: existing.exact.map((c) => c.rpps!),
      }),
    );
    expect(err.code).toBe('identity-already-registered');
    expect(err.status).toBe(409);
  });

  it('a likely match declared a different person by the gestionnaire is registered (never merged)', async () => {
    const input = { ...registration(104), etatCivil: { ...registeredB, firstNames: ['Jean-Piere'] } };
    const err = await failure(service.registerProfessional(actor, scope, input));
    const rpps = (err as unknown as { candidates: Array<{ rpps: string }> }).candidates.map((c) => c.rpps);
    const r = await service.registerProfessional(actor, scope, { ...input, notDuplicateOf: rpps });
    expect(rpps).not.toContain(r.rpps);
  });
});

describe('existing person, new structure', () => {
  let rpps: string;
  beforeAll(async () => {
    rpps = (await service.registerProfessional(actor, scope, registration(200, { etatCivil: { birthName: 'Moreau', firstNames: ['Ana', 'Lucía'], birthDate: '1979-12-24' } }))).rpps;
  });
  const identity = () => ({ rpps, birthName: 'moreau', firstName: 'Ana', sexe: 'F', birthDate: '1979-12-24' });
  const other = { id: 'user:gestionnaire-2', kind: 'gestionnaire' };

  it('another structure finds him by RPPS + identity and sees only the number', async () => {
    expect(await service.identifyProfessional(identity())).toEqual({ rpps });
  });

  it('a wrong trait gives the same not-found answer', async () => {
    for (const probe of [{ ...identity(), birthDate: '1979-12-25' }, { ...identity(), sexe: 'M' }, { ...identity(), birthName: 'Moreaux' }, { ...identity(), rpps: '01234567897' }]) {
      expect((await failure(service.identifyProfessional(probe))).code).toBe('person-not-found');
    }
  });

  it('adds a situation without re-entering the état civil, and his situations stay hidden to the other structure', async () => {
    const added = await service.addSituation(other, [egOutOfScope], {
      identity: identity(),
      situation: { egFiness: egOutOfScope, professionCode: '326', roleCode: 'GENR10', modeCode: 'S', startDate: '2026-09-01' },
    });
    expect(added.rpps).toBe(rpps);
    const seenByOther = await service.getPerson(other, [egOutOfScope], rpps);
    expect(seenByOther.situations.map((s) => s.egFiness)).toEqual([egOutOfScope]);
    const seenByFirst = await service.getPerson(actor, scope, rpps);
    expect(seenByFirst.situations.map((s) => s.egFiness)).toEqual([egInScope]);
    const list = await service.searchProfessionals(other, [egOutOfScope], { q: 'moreau' });
    expect(list.items.map((i) => i.egFiness)).toEqual([egOutOfScope]);
  });

  it('refuses the same situation twice', async () => {
    const err = await failure(
      service.addSituation(other, [egOutOfScope], {
        identity: identity(),
        situation: { egFiness: egOutOfScope, professionCode: '326', roleCode: 'GENR10', modeCode: 'S', startDate: '2026-09-01' },
      }),
    );
    expect(err.code).toBe('situation-exists');
  });
});

describe('find and modify', () => {
  let rpps: string;
  let situationId: string;
  beforeAll(async () => {
    const r = await service.registerProfessional(actor, scope, registration(300, { etatCivil: { birthName: 'Garnier', firstNames: ['Hugo'], sexe: 'M', civilite: 'M', birthDate: '1992-04-30' } }));
    rpps = r.rpps;
    situationId = r.situationId;
  });

  it('search is scoped in SQL: nothing outside the scope', async () => {
    expect((await service.searchProfessionals(actor, scope, { q: 'garnier' })).total).toBe(1);
    expect((await service.searchProfessionals(actor, [egOutOfScope], { q: 'garnier' })).total).toBe(0);
    expect((await service.searchProfessionals(actor, [], {})).total).toBe(0);
    expect((await service.searchProfessionals(actor, scope, { q: rpps })).items[0]!.rpps).toBe(rpps);
    expect((await service.searchProfessionals(actor, 'all', { q: 'garnier', roleCode: 'GENR11' })).total).toBe(1);
    expect((await service.searchProfessionals(actor, scope, { q: 'garnier', roleCode: 'GENR08' })).total).toBe(0);
  });

  it('a person outside the scope is not found (404, no data)', async () => {
    expect((await failure(service.getPerson(actor, [egOutOfScope], rpps))).status).toBe(404);
    expect((await failure(service.updateSituation(actor, [egOutOfScope], situationId, { roleCode: 'GENR08' }))).status).toBe(404);
    expect((await failure(service.endSituation(actor, [egOutOfScope], situationId, { endDate: '2026-11-23', reason: 'departure' }))).status).toBe(404);
    expect((await failure(service.deleteSituation(actor, [egOutOfScope], situationId))).status).toBe(404);
  });

  it('changes role, EG within scope and start date, with an audit before/after', async () => {
    const updated = await service.updateSituation(actor, scope, situationId, { roleCode: 'GENR08', egFiness: otherEgInScope, startDate: '2026-10-15' });
    expect(updated).toMatchObject({ roleCode: 'GENR08', egFiness: otherEgInScope, startDate: '2026-10-15' });
    const audit = await database.db.selectFrom('auditEvent').selectAll().where('entityId', '=', situationId).where('action', '=', 'situation.update').executeTakeFirstOrThrow();
    expect(audit.before).toMatchObject({ roleCode: 'GENR11', egFiness: egInScope });
    expect(audit.after).toMatchObject({ roleCode: 'GENR08', egFiness: otherEgInScope });
  });

  it('refuses moving to an EG outside the scope (403)', async () => {
    expect((await failure(service.updateSituation(actor, scope, situationId, { egFiness: egOutOfScope }))).status).toBe(403);
  });

  it('a scheduled end takes effect when the job runs that day', async () => {
    await service.scheduleEnd(actor, scope, situationId, { endDate: '2026-12-31', reason: 'interim-end' });
    expect((await service.searchProfessionals(actor, scope, { q: 'garnier', status: 'active' })).total).toBe(1);
    expect(await service.applyScheduledEnds()).toEqual({ ended: 0 });
    const onTheDay = createRegisterService({ db: database.db, clock: fixedClock('2026-12-31T05:00:00Z'), config: database.config });
    expect(await onTheDay.applyScheduledEnds()).toEqual({ ended: 1 });
    const s = (await service.searchProfessionals(actor, scope, { q: 'garnier' })).items[0]!;
    expect(s).toMatchObject({ status: 'ended', endDate: '2026-12-31', endReason: 'interim-end' });
    const events = await database.db.selectFrom('registerEvent').select('type').where('situationId', '=', situationId).execute();
    expect(events.map((e) => e.type)).toEqual(['registration.created', 'situation.updated', 'situation.end-scheduled', 'situation.ended']);
    // The person keeps his number with no active situation.
    expect((await service.getPerson(actor, scope, rpps)).rpps).toBe(rpps);
  });
});

describe('ending and deleting', () => {
  it('ending stops the situation at once', async () => {
    const r = await service.registerProfessional(actor, scope, distinctRegistration(400));
    await service.endSituation(actor, scope, r.situationId, { endDate: '2026-11-23', reason: 'departure' });
    expect((await service.searchProfessionals(actor, scope, { q: r.rpps, status: 'active' })).total).toBe(0);
    expect((await failure(service.updateSituation(actor, scope, r.situationId, { roleCode: 'GENR08' }))).code).toBe('situation-not-active');
  });

  it('checks end dates and reasons', async () => {
    const r = await service.registerProfessional(actor, scope, distinctRegistration(401));
    expect((await failure(service.endSituation(actor, scope, r.situationId, { endDate: '2027-01-10', reason: 'departure' }))).errors[0]!.pointer).toBe('/body/endDate');
    expect((await failure(service.endSituation(actor, scope, r.situationId, { endDate: '2026-10-01', reason: 'departure' }))).errors[0]!.pointer).toBe('/body/endDate');
    expect((await failure(service.endSituation(actor, scope, r.situationId, { endDate: '2026-11-20', reason: 'whatever' as 'error' }))).errors[0]!.pointer).toBe('/body/reason');
    expect((await failure(service.scheduleEnd(actor, scope, r.situationId, { endDate: '2026-11-23', reason: 'departure' }))).status).toBe(422);
  });

  it('a situation entered by mistake disappears from the lists but stays audited', async () => {
    const r = await service.registerProfessional(actor, scope, distinctRegistration(402));
    await service.deleteSituation(actor, scope, r.situationId);
    expect((await service.searchProfessionals(actor, scope, { q: r.rpps })).total).toBe(0);
    expect((await failure(service.getPerson(actor, scope, r.rpps))).status).toBe(404);
    const row = await database.db.selectFrom('situation').select('status').where('id', '=', r.situationId).executeTakeFirstOrThrow();
    expect(row.status).toBe('deleted');
  });
});
