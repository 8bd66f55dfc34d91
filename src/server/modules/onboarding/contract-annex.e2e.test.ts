import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { activeContract, contractAnnex, demo, habilitationFields, multipart, pdf, sessionFor, type Session, testRl } from './testing.ts';

/** Issue 16, items 2–4: the contract's annex, its pre-filled PDF, step-1 refusal, EG-level contracts. */
describe('contrat d’adhésion: annex, PDF, step 1, FINESS géographique', () => {
  let t: TestApp;
  let operator: Session;
  let requester: Session;
  beforeAll(async () => {
    t = await createTestApp();
    operator = await sessionFor(t.app, t.database.db, demo.idnps.operator);
    requester = await sessionFor(t.app, t.database.db, demo.idnps.educateur);
  });
  afterAll(() => t.close());

  it('step 1 refuses at once a structure already under contract, and pre-fills the others from FINESS', async () => {
    const covered = await requester.get(`/api/onboarding/contractable/${demo.ej}`);
    expect(covered.statusCode).toBe(409);
    expect(covered.json().type).toBe('urn:rpps-plus:problem:contract-already-exists');
    // An EG of an EJ under contract is covered too.
    expect((await requester.get(`/api/onboarding/contractable/${demo.eg1}`)).statusCode).toBe(409);
    expect((await requester.get('/api/onboarding/contractable/690899994')).json().type).toBe('urn:rpps-plus:problem:ej-unknown');
    const free = await requester.get('/api/onboarding/contractable/590803466');
    expect(free.statusCode, free.body).toBe(200);
    expect(free.json()).toMatchObject({ finess: '590803466', kind: 'EJ', ejFiness: '590803466', egFiness: null, name: 'FLANDRE AVENIR', mieCguVersion });
    expect(free.json().address).toContain('59000 LILLE');
  });

  it('collects the annex, records the MIE terms read, offers the pre-filled PDF and requires the annex to submit', async () => {
    const wrongTerms = await requester.send('POST', '/api/onboarding/contracts', { ejFiness: '590803466', rl: testRl(demo.idnps.educateur), mieCguVersion: 'ANCIENNE' });
    expect(wrongTerms.statusCode).toBe(422);
    expect(wrongTerms.json().errors[0].pointer).toBe('/body/mieCguVersion');
    const badSiret = await requester.send('POST', '/api/onboarding/contracts', { ejFiness: '590803466', rl: testRl(demo.idnps.educateur), siret: '12345678901234' });
    expect(badSiret.json().errors[0].pointer).toBe('/body/siret');

    const draft = await requester.send('POST', '/api/onboarding/contracts', { ejFiness: '590803466', rl: { ...testRl(demo.idnps.educateur), cardMatricule: 'DIR-0042' }, mieCguVersion });
    expect(draft.statusCode, draft.body).toBe(201);
    const c = draft.json();
    expect(c).toMatchObject({ egFiness: null, rlCardMatricule: 'DIR-0042', mieCguVersion, siret: null });
    expect(c.mieCguAcceptedAt).not.toBeNull();

    const form = await requester.get(`/api/onboarding/contracts/${c.id}/form.pdf`);
    expect(form.statusCode).toBe(200);
    expect(form.headers['content-type']).toBe('application/pdf');
    const doc = await PDFDocument.load(form.rawPayload);
    expect(doc.getTitle()).toContain('FLANDRE AVENIR');
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(1);
    // Another person cannot read it.
    expect((await operator.get(`/api/onboarding/contracts/${c.id}/form.pdf`)).statusCode).toBe(200);
    const stranger = await sessionFor(t.app, t.database.db, demo.idnps.professional);
    expect((await stranger.get(`/api/onboarding/contracts/${c.id}/form.pdf`)).statusCode).toBe(404);

    const signed = multipart({}, { signedContract: { name: 'c.pdf', content: pdf() } });
    await requester.send('PUT', `/api/onboarding/contracts/${c.id}/signed-contract`, signed.payload, signed.headers);
    const incomplete = await requester.send('POST', `/api/onboarding/contracts/${c.id}/submit`, { signedOn: '2026-11-20' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/address', '/body/siret']);
  });

  it('contracts at FINESS géographique level: the RL and his gestionnaires see only that EG', async () => {
    const id = await activeContract(requester, operator, demo.otherEjEg);
    const contract = (await requester.get(`/api/onboarding/contracts/${id}`)).json();
    expect(contract).toMatchObject({ ejFiness: demo.otherEj, egFiness: demo.otherEjEg, status: 'active' });
    expect(contract.cdeIdnps).toMatch(new RegExp(`^3${demo.otherEjEg}/CDE\\d{4}$`));
    // The EJ is not his: no EJ-wide contract while an EG has its own, no access to the EJ.
    const ejWide = await requester.send('POST', '/api/onboarding/contracts', { ejFiness: demo.otherEj, rl: testRl(demo.idnps.educateur), ...contractAnnex });
    expect(ejWide.statusCode).toBe(409);
    expect((await requester.get(`/api/onboarding/entities/${demo.otherEj}`)).statusCode).toBe(403);
    const entity = await requester.get(`/api/onboarding/entities/${demo.otherEjEg}`);
    expect(entity.statusCode, entity.body).toBe(200);
    expect(entity.json().establishments.map((e: { finess: string }) => e.finess)).toEqual([demo.otherEjEg]);

    // He habilitates a gestionnaire: the habilitation is on his EG, whatever the form says.
    const h = multipart(habilitationFields('810007777882'), { attestation: { name: 'a.pdf', content: pdf() } });
    const hab = await requester.send('POST', `/api/onboarding/entities/${demo.otherEjEg}/habilitations`, h.payload, h.headers);
    expect(hab.statusCode, hab.body).toBe(201);
    expect(hab.json()).toMatchObject({ ejFiness: demo.otherEj, scope: 'eg', egFiness: [demo.otherEjEg] });
    expect((await requester.get(`/api/onboarding/entities/${demo.otherEjEg}/habilitations`)).json().map((x: { id: string }) => x.id)).toEqual([hab.json().id]);
    const gestionnaire = await sessionFor(t.app, t.database.db, '810007777882');
    const me = (await gestionnaire.get('/api/onboarding/me')).json();
    expect(me.entities.flatMap((e: { registerScope: { establishments: Array<{ finess: string }> } }) => e.registerScope.establishments.map((x) => x.finess))).toEqual([demo.otherEjEg]);
    const rlHome = (await requester.get('/api/onboarding/me')).json();
    expect(rlHome.entities).toHaveLength(1);
    expect(rlHome.entities[0]).toMatchObject({ ejFiness: demo.otherEjEg, legalRepresentative: true, manageHabilitations: true });

    // Terminating the EG contract ends the roles it gave.
    expect((await operator.send('POST', `/api/onboarding/contracts/${id}/terminate`, { reason: 'Fermeture du site' })).statusCode).toBe(200);
    expect((await t.database.db.selectFrom('habilitation').select('status').where('id', '=', hab.json().id).executeTakeFirstOrThrow()).status).toBe('revoked');
    expect((await requester.get(`/api/onboarding/entities/${demo.otherEjEg}/habilitations`)).statusCode).toBe(403);
  });
});
