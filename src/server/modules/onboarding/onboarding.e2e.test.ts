import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { contractAnnex, counts, demo, habilitationFields, multipart, pdf, sessionFor, type Session } from './testing.ts';

describe('onboarding: contract → activation → habilitation (issue 5)', () => {
  let t: TestApp;
  let operator: Session;
  let educateur: Session;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await sessionFor(t.app, t.database.db, demo.idnps.operator);
    educateur = await sessionFor(t.app, t.database.db, demo.idnps.educateur, { familyName: 'ÇELIK', givenName: 'Öztürk Emre' });
  });
  afterAll(() => t.close());

  const rl = (idnps?: string) => ({ civility: 'M', familyName: 'ÇELIK', givenName: 'Öztürk Emre', email: 'direction@petit-prince.invalid', phone: '0478000000', idnps });

  it('a structure requests a contract, an operator activates it, the RL habilitates a gestionnaire who sees exactly his scope', async () => {
    const created = await educateur.send('POST', '/api/onboarding/contracts', { ejFiness: demo.otherEj, rl: rl(demo.idnps.educateur), ...contractAnnex });
    expect(created.statusCode, created.body).toBe(201);
    const contract = created.json();
    expect(contract.status).toBe('draft');

    const noFile = await educateur.send('POST', `/api/onboarding/contracts/${contract.id}/submit`, { signedOn: '2026-11-20' });
    expect(noFile.statusCode).toBe(422);
    expect(noFile.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/body/signedContract');

    const form = multipart({}, { signedContract: { name: 'contrat.pdf', content: pdf() } });
    const up = await educateur.send('PUT', `/api/onboarding/contracts/${contract.id}/signed-contract`, form.payload, form.headers);
    expect(up.statusCode, up.body).toBe(200);
    expect(up.json().hasSignedContract).toBe(true);
    const submitted = await educateur.send('POST', `/api/onboarding/contracts/${contract.id}/submit`, { signedOn: '2026-11-20' });
    expect(submitted.json().status).toBe('submitted');

    // Before activation he may not habilitate anyone.
    const early = multipart(habilitationFields('810005555660'), { attestation: { name: 'a.pdf', content: pdf() } });
    expect((await educateur.send('POST', `/api/onboarding/entities/${demo.otherEj}/habilitations`, early.payload, early.headers)).statusCode).toBe(403);

    const pending = await operator.get('/api/onboarding/contracts?status=submitted');
    expect(pending.json().map((c: { id: string }) => c.id)).toContain(contract.id);
    const activated = await operator.send('POST', `/api/onboarding/contracts/${contract.id}/activate`);
    expect(activated.statusCode, activated.body).toBe(200);
    expect(activated.json().status).toBe('active');
    expect(activated.json().cdeIdnps).toMatch(new RegExp(`^3${demo.otherEj}/CDE\\d{4}$`));
    const f101 = await t.database.db.selectFrom('cardOrder').selectAll().where('contractId', '=', contract.id).execute();
    expect(f101.map((o) => o.form)).toEqual(['F101']);

    // The RL (his e-CPS) chooses the decentralized strategy, then habilitates a gestionnaire on one EG.
    const centralized = multipart(habilitationFields('810005555660', { scope: 'eg', egFiness: demo.otherEjEg }), { attestation: { name: 'a.pdf', content: pdf() } });
    const refusedScope = await educateur.send('POST', `/api/onboarding/entities/${demo.otherEj}/habilitations`, centralized.payload, centralized.headers);
    expect(refusedScope.statusCode).toBe(422);
    expect(refusedScope.json().errors[0].pointer).toBe('/body/scope');
    const strategy = await educateur.send('PUT', `/api/onboarding/entities/${demo.otherEj}/strategy`, { strategy: 'decentralized' });
    expect(strategy.json()).toEqual({ ejFiness: demo.otherEj, strategy: 'decentralized', revokedHabilitations: [] });
    const h = multipart(habilitationFields('810005555660', { scope: 'eg', egFiness: demo.otherEjEg }), { attestation: { name: 'attestation.pdf', content: pdf() } });
    const hab = await educateur.send('POST', `/api/onboarding/entities/${demo.otherEj}/habilitations`, h.payload, h.headers);
    expect(hab.statusCode, hab.body).toBe(201);
    expect(hab.json()).toMatchObject({ scope: 'eg', egFiness: [demo.otherEjEg], status: 'active' });

    const gestionnaire = await sessionFor(t.app, t.database.db, '810005555660');
    const me = (await gestionnaire.get('/api/onboarding/me')).json();
    expect(me.entities).toHaveLength(1);
    expect(me.entities[0]).toMatchObject({ ejFiness: demo.otherEj, manageHabilitations: false, registerScope: { kind: 'eg' } });
    expect(me.entities[0].registerScope.establishments.map((e: { finess: string }) => e.finess)).toEqual([demo.otherEjEg]);
    expect(me.myHabilitations.map((x: { id: string }) => x.id)).toEqual([hab.json().id]);
    // …and nothing more: not the EJ's list of gestionnaires, not the EJ overview.
    expect((await gestionnaire.get(`/api/onboarding/entities/${demo.otherEj}/habilitations`)).statusCode).toBe(403);
    expect((await gestionnaire.get(`/api/onboarding/entities/${demo.otherEj}`)).statusCode).toBe(403);

    // Audit: every change of the contract and of the habilitation.
    const trail = await t.database.db.selectFrom('auditEvent').select(['action', 'actorId', 'before', 'after']).where('entityId', 'in', [contract.id, hab.json().id]).orderBy('id').execute();
    expect(trail.map((a) => a.action)).toEqual(['contract.request', 'contract.attach-signed', 'contract.submit', 'contract.activate', 'card-order.f101', 'contract.strategy', 'habilitation.create']);
    expect(trail.find((a) => a.action === 'contract.activate')).toMatchObject({ before: { status: 'submitted' }, after: { status: 'active' } });
  });

  it('lets a requester name himself as RL, nobody else', async () => {
    const res = await educateur.send('POST', '/api/onboarding/contracts', { ejFiness: '590803466', rl: rl(demo.idnps.operator) });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].pointer).toBe('/body/rl/idnps');
  });

  it('refuses a contract for a closed or unknown FINESS number (422)', async () => {
    const closed = await t.database.db.selectFrom('structure').select('finess').where('kind', '=', 'EJ').where('closedOn', 'is not', null).executeTakeFirstOrThrow();
    for (const [ejFiness, code] of [
      [closed.finess, 'ej-closed'],
      ['690899994', 'ej-unknown'],
    ] as const) {
      const before = await counts(t.database.db);
      const res = await educateur.send('POST', '/api/onboarding/contracts', { ejFiness, rl: rl() });
      expect(res.statusCode, ejFiness).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toBe(`urn:rpps-plus:problem:${code}`);
      expect(res.json().errors[0].pointer).toBe('/body/ejFiness');
      expect(await counts(t.database.db)).toEqual(before);
    }
  });

  it('refuses a second live contract for the same EJ (409) and lets the operator refuse with a reason', async () => {
    expect((await educateur.send('POST', '/api/onboarding/contracts', { ejFiness: demo.ej, rl: rl() })).statusCode).toBe(409);
    const list = (await operator.get('/api/onboarding/contracts?status=submitted')).json();
    const pending = list.find((c: { ejFiness: string }) => c.ejFiness === demo.pendingEj);
    expect((await operator.send('POST', `/api/onboarding/contracts/${pending.id}/refuse`, { reason: '' })).statusCode).toBe(400);
    const refused = await operator.send('POST', `/api/onboarding/contracts/${pending.id}/refuse`, { reason: 'Signature illisible' });
    expect(refused.json()).toMatchObject({ status: 'refused', decisionReason: 'Signature illisible' });
    const detail = (await operator.get(`/api/onboarding/contracts/${pending.id}`)).json();
    expect(detail.history.map((h: { action: string }) => h.action)).toEqual(['contract.seed', 'contract.refuse']);
  });
});
