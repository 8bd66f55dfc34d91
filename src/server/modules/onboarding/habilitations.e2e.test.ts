import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { postgresFileStore } from '../../files/store.ts';
import { counts, demo, habilitationFields, multipart, pdf, sessionFor, type Session } from './testing.ts';
import { createOnboardingService } from './service.ts';

const url = `/api/onboarding/entities/${demo.ej}/habilitations`;

describe('"Mes Habilitations" (issue 5)', () => {
  let t: TestApp;
  let rl: Session;
  let mandataire: Session;
  beforeAll(async () => {
    t = await createTestApp();
    rl = await sessionFor(t.app, t.database.db, demo.idnps.rl);
    mandataire = await sessionFor(t.app, t.database.db, demo.idnps.mandataire);
  });
  afterAll(() => t.close());

  async function habilitate(who: Session, fields: Record<string, string | string[]>, attestation: Buffer | null = pdf()) {
    const form = multipart(fields, attestation ? { attestation: { name: 'attestation.pdf', content: attestation } } : {});
    return who.send('POST', url, form.payload, form.headers);
  }

  it('refuses a habilitation without the e-learning attestation or its date: 422 naming the field, nothing stored', async () => {
    const before = await counts(t.database.db);
    const noFile = await habilitate(rl, habilitationFields('810006666771'), null);
    expect(noFile.statusCode).toBe(422);
    expect(noFile.json().type).toBe('urn:rpps-plus:problem:onboarding-invalid');
    expect(noFile.json().errors).toEqual([expect.objectContaining({ pointer: '/body/attestation' })]);

    const { elearningCompletedOn: _omit, ...withoutDate } = habilitationFields('810006666771');
    const noDate = await habilitate(rl, withoutDate);
    expect(noDate.statusCode).toBe(422);
    expect(noDate.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/elearningCompletedOn']);

    const card = await habilitate(rl, habilitationFields('810006666771', { credential: 'card' }));
    expect(card.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/cardForm']);
    expect(await counts(t.database.db)).toEqual(before);
  });

  it('refuses a 20 MB upload (413) and an .exe renamed .pdf (415), storing nothing', async () => {
    const before = await counts(t.database.db);
    const big = Buffer.concat([pdf(), Buffer.alloc(20 * 1024 * 1024, 0x20)]);
    const tooLarge = await habilitate(rl, habilitationFields('810006666771'), big);
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.headers['content-type']).toContain('application/problem+json');
    expect(tooLarge.json().type).toBe('urn:rpps-plus:problem:payload-too-large');

    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(2048, 1)]);
    const fake = await habilitate(rl, habilitationFields('810006666771'), exe);
    expect(fake.statusCode).toBe(415);
    expect(fake.json().type).toBe('urn:rpps-plus:problem:unsupported-file-type');
    expect(fake.json().errors[0].pointer).toBe('/body/attestation');
    expect(await counts(t.database.db)).toEqual(before);
  });

  it('records the card order form (F301/F502), serves the attestation only to those the policy allows', async () => {
    const res = await habilitate(rl, habilitationFields('3690800123/CPE0100', { credential: 'card', cardForm: 'F301', cardFormReference: 'F301-2026-0042' }));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id as string;
    const order = await t.database.db.selectFrom('cardOrder').select(['form', 'reference']).where('habilitationId', '=', id).executeTakeFirstOrThrow();
    expect(order).toEqual({ form: 'F301', reference: 'F301-2026-0042' });

    const file = await rl.get(`/api/onboarding/habilitations/${id}/attestation`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    for (const idnps of [demo.idnps.gestionnaireEg, demo.idnps.gestionnaireEj, demo.idnps.professional]) {
      const other = await sessionFor(t.app, t.database.db, idnps);
      const denied = await other.get(`/api/onboarding/habilitations/${id}/attestation`);
      expect(denied.statusCode, idnps).toBe(404);
      expect(denied.body).not.toContain('%PDF');
    }
    const self = await sessionFor(t.app, t.database.db, '3690800123/CPE0100');
    expect((await self.get(`/api/onboarding/habilitations/${id}/attestation`)).statusCode).toBe(200);
  });

  it('a mandataire who is not the RL may habilitate himself', async () => {
    const res = await habilitate(mandataire, habilitationFields(demo.idnps.mandataire, { scope: 'eg', egFiness: [demo.eg1, demo.eg2] }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().egFiness).toEqual([demo.eg1, demo.eg2]);
  });

  it('revocation takes effect on the very next request; editing the scope too', async () => {
    const gestionnaire = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
    expect((await gestionnaire.get(`/api/onboarding/entities/${demo.ej}`)).statusCode).toBe(200);
    const list = (await rl.get(url)).json() as Array<{ id: string; idnps: string }>;
    const hab = list.find((h) => h.idnps === demo.idnps.gestionnaireEj)!;

    // EJ-wide → EG 1 only: the EJ overview is no longer his.
    const patched = await rl.send('PATCH', `/api/onboarding/habilitations/${hab.id}`, { scope: 'eg', egFiness: [demo.eg1] });
    expect(patched.json()).toMatchObject({ scope: 'eg', egFiness: [demo.eg1] });
    expect((await gestionnaire.get(`/api/onboarding/entities/${demo.ej}`)).statusCode).toBe(403);
    const me = (await gestionnaire.get('/api/onboarding/me')).json();
    expect(me.entities[0].registerScope.establishments.map((e: { finess: string }) => e.finess)).toEqual([demo.eg1]);

    const revoked = await rl.send('POST', `/api/onboarding/habilitations/${hab.id}/revoke`, { reason: 'Départ de la structure' });
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokeReason: 'Départ de la structure' });
    const after = (await gestionnaire.get('/api/onboarding/me')).json();
    expect(after.entities).toEqual([]);
    expect((await gestionnaire.get('/api/session')).json().roles).toEqual([]);

    const history = (await rl.get(`/api/onboarding/habilitations/${hab.id}`)).json().history;
    expect(history.map((h: { action: string }) => h.action)).toEqual(['habilitation.seed', 'habilitation.update', 'habilitation.revoke']);
    expect(history[1]).toMatchObject({ before: { scope: 'ej' }, after: { scope: 'eg', egFiness: [demo.eg1] } });
  });

  it('a scheduled end revokes the habilitation when its date comes (job)', async () => {
    const res = await habilitate(rl, habilitationFields('810007777882', { endsOn: '2026-12-31' }));
    expect(res.statusCode, res.body).toBe(201);
    const later = createOnboardingService({ db: t.database.db, clock: fixedClock('2027-01-01T08:00:00Z'), files: postgresFileStore });
    const early = createOnboardingService({ db: t.database.db, clock: fixedClock('2026-12-30T08:00:00Z'), files: postgresFileStore });
    expect(await early.applyScheduledEnds(res.json().id)).toBe(0);
    expect(await later.applyScheduledEnds(res.json().id)).toBe(1);
    const row = await t.database.db.selectFrom('habilitation').select(['status', 'revokeReason']).where('id', '=', res.json().id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'revoked', revokeReason: 'end-date' });
    const roles = await t.database.db.selectFrom('staffRole').select('revokedAt').where('idnps', '=', '810007777882').execute();
    expect(roles.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it('moving to the centralized strategy revokes the EG-scoped habilitations, keeps the EJ-wide ones', async () => {
    const ejWide = await habilitate(rl, habilitationFields('810008888993'));
    expect(ejWide.statusCode).toBe(201);
    const res = await rl.send('PUT', `/api/onboarding/entities/${demo.ej}/strategy`, { strategy: 'centralized' });
    expect(res.statusCode, res.body).toBe(200);
    const active = (await rl.get(`${url}?status=active`)).json() as Array<{ id: string; scope: string }>;
    expect(active.every((h) => h.scope === 'ej')).toBe(true);
    expect(active.map((h) => h.id)).toContain(ejWide.json().id);
    expect(res.json().revokedHabilitations.length).toBeGreaterThan(0);
    const eg = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEg);
    expect((await eg.get('/api/onboarding/me')).json().entities).toEqual([]);
  });
});
