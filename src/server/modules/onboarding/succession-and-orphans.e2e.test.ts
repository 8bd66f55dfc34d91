import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { buildApp } from '../../app.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { createMailService } from '../../mail/service.ts';
import { createRegisterService } from '../register/service.ts';
import { actor as seeder, distinctRegistration } from '../register/testing.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { demo, sessionFor, type Session } from './testing.ts';

/** Issue 16, items 5 and 6: the RL's succession, and what a terminated contract leaves behind. */
describe('RL succession and structures left without a gestionnaire', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let operator: Session;
  let rl: Session;
  let mandataire: Session;
  let gestionnaire: Session;
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const newRl = (email: string) => ({ rl: { civility: 'MME', familyName: 'NOUVELLE', givenName: 'Directrice', email, phone: '0478000001' }, mieCguVersion, reason: 'Départ du directeur' });
  const contractA = () => t.db.selectFrom('contract').selectAll().where('ejFiness', '=', demo.ej).where('status', '=', 'active').executeTakeFirstOrThrow();
  const count = async (table: 'habilitation' | 'mandataire') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('ejFiness', '=', demo.ej).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    t = await createTestDatabase();
    const jobs = { enqueue: async () => undefined } as unknown as JobQueue;
    app = await buildApp({ config: t.config, db: t.db, clock, mail: createMailService({ jobs, clock }) }, { logger: false });
    await app.ready();
    operator = await sessionFor(app, t.db, demo.idnps.operator);
    rl = await sessionFor(app, t.db, demo.idnps.rl);
    mandataire = await sessionFor(app, t.db, demo.idnps.mandataire);
    gestionnaire = await sessionFor(app, t.db, demo.idnps.gestionnaireEj);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('a mandataire designates a new RL when the RL is gone; the operator may refuse it with a reason', async () => {
    expect((await gestionnaire.send('POST', `/api/onboarding/entities/${demo.ej}/succession`, newRl('x@a.invalid'))).statusCode).toBe(403);
    const asked = await mandataire.send('POST', `/api/onboarding/entities/${demo.ej}/succession`, newRl('refusee@a.invalid'));
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json()).toMatchObject({ status: 'pending', entityFiness: demo.ej });
    expect((await rl.send('POST', `/api/onboarding/entities/${demo.ej}/succession`, newRl('autre@a.invalid'))).json().type).toBe('urn:rpps-plus:problem:succession-pending');
    const refused = await operator.send('POST', `/api/onboarding/successions/${asked.json().id}/refuse`, { reason: 'Pièce justificative manquante' });
    expect(refused.json()).toMatchObject({ status: 'refused', decisionReason: 'Pièce justificative manquante' });
    const mail = await t.db.selectFrom('mailMessage').select(['to', 'text']).where('dedupeKey', '=', `rl-succession-refused:${asked.json().id}`).executeTakeFirstOrThrow();
    expect(mail.to).toBe('refusee@a.invalid');
    expect(mail.text).toContain('Pièce justificative manquante');
  });

  it('the RL hands over: once the operator validates, the new RL holds the contract and everything else stays', async () => {
    const before = await contractA();
    const [habilitations, mandataires] = [await count('habilitation'), await count('mandataire')];
    const draft = await gestionnaire.send('POST', '/api/register/drafts');
    expect(draft.statusCode).toBe(201);

    const asked = await rl.send('POST', `/api/onboarding/entities/${demo.ej}/succession`, newRl('nouvelle.direction@a.invalid'));
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await rl.get('/api/onboarding/successions?status=pending')).json().map((s: { id: string }) => s.id)).toEqual([asked.json().id]);
    expect((await rl.send('POST', `/api/onboarding/successions/${asked.json().id}/approve`)).statusCode).toBe(403);
    const approved = await operator.send('POST', `/api/onboarding/successions/${asked.json().id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);

    const after = await contractA();
    expect(after.id).toBe(before.id);
    expect(after).toMatchObject({ rlFamilyName: 'NOUVELLE', rlEmail: 'nouvelle.direction@a.invalid', mieCguVersion });
    expect(after.cdeIdnps).not.toBe(before.cdeIdnps);
    // The former RL's card lost the RL rights at once; the mandataire, the gestionnaires and their drafts did not.
    expect((await rl.get(`/api/onboarding/entities/${demo.ej}/mandataires`)).statusCode).toBe(403);
    expect((await mandataire.get(`/api/onboarding/entities/${demo.ej}/habilitations`)).statusCode).toBe(200);
    expect([await count('habilitation'), await count('mandataire')]).toEqual([habilitations, mandataires]);
    expect((await gestionnaire.get(`/api/register/drafts/${draft.json().id}`)).statusCode).toBe(200);
    const card = await t.db.selectFrom('cardOrder').select(['form', 'holderIdnps']).where('contractId', '=', after.id).where('holderIdnps', '=', after.cdeIdnps!).executeTakeFirstOrThrow();
    expect(card.form).toBe('F101');
    const history = (await operator.get(`/api/onboarding/contracts/${after.id}`)).json().history.map((h: { action: string }) => h.action);
    expect(history).toContain('contract.rl-succession');
    expect(await t.db.selectFrom('mailMessage').select('to').where('dedupeKey', '=', `rl-succession-approved:${asked.json().id}`).executeTakeFirst()).toEqual({ to: 'nouvelle.direction@a.invalid' });
  });

  it('after termination: the RL is mailed, the EG is listed without gestionnaire, its situations stay until the operator ends them', async () => {
    const register = createRegisterService({ db: t.db, clock, config: t.config });
    const r = distinctRegistration(901);
    const registered = await register.registerProfessional(seeder, 'all', { ...r, situation: { ...r.situation, egFiness: demo.eg1 } });
    expect((await operator.get('/api/onboarding/orphan-structures')).json()).toEqual([]);

    const contract = await contractA();
    expect((await operator.send('POST', `/api/onboarding/contracts/${contract.id}/terminate`, { reason: 'Cessation d’activité' })).statusCode).toBe(200);
    const told = await t.db.selectFrom('mailMessage').select(['to', 'text']).where('dedupeKey', '=', `contract-terminated:${contract.id}`).executeTakeFirstOrThrow();
    expect(told.to).toBe(contract.rlEmail);
    expect(told.text).toContain('Cessation d’activité');

    const orphans = await operator.get('/api/onboarding/orphan-structures');
    expect(orphans.statusCode).toBe(200);
    const eg1 = orphans.json().find((o: { egFiness: string }) => o.egFiness === demo.eg1);
    expect(eg1).toMatchObject({ ejFiness: demo.ej, activeSituations: 1, lastContractId: contract.id });
    expect((await gestionnaire.get('/api/onboarding/orphan-structures')).statusCode).toBe(403);
    // Still active, hence still published.
    expect((await t.db.selectFrom('situation').select('status').where('id', '=', registered.situationId).executeTakeFirstOrThrow()).status).toBe('active');

    // The operator's decision needs an explicit confirmation.
    expect((await operator.send('POST', `/api/onboarding/orphan-structures/${demo.eg1}/end-situations`, { reason: 'Structure fermée' })).statusCode).toBe(400);
    const ended = await operator.send('POST', `/api/onboarding/orphan-structures/${demo.eg1}/end-situations`, { reason: 'Structure fermée', confirm: true });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toEqual({ egFiness: demo.eg1, ended: 1 });
    expect((await t.db.selectFrom('situation').select('status').where('id', '=', registered.situationId).executeTakeFirstOrThrow()).status).toBe('ended');
    expect((await operator.get('/api/onboarding/orphan-structures')).json().map((o: { egFiness: string }) => o.egFiness)).not.toContain(demo.eg1);
    expect((await operator.send('POST', `/api/onboarding/orphan-structures/${demo.eg1}/end-situations`, { reason: 'Encore', confirm: true })).statusCode).toBe(409);
  });
});
