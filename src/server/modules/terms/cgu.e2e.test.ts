import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { franceConnectSession } from '../../../../tests/support/sessions.ts';
import { demo, sessionFor } from '../onboarding/testing.ts';
import { rppsCguVersion } from '../../../shared/terms.ts';

/** Issue 16, item 2: each consent to the RPPS+ terms of use is recorded with the version in force. */
describe('terms of use: the accepted version is recorded', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('on the gestionnaire’s registration draft when he ticks the declarations', async () => {
    const gestionnaire = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
    const draft = (await gestionnaire.send('POST', '/api/register/drafts')).json();
    const saved = await gestionnaire.send('PUT', `/api/register/drafts/${draft.id}/declarations`, { accurateAndInformed: true, metInPerson: true });
    expect(saved.statusCode, saved.body).toBe(200);
    const row = await t.database.db.selectFrom('registrationDraft').select('cguVersion').where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect(row.cguVersion).toBe(rppsCguVersion);
  });

  it('on the professional’s pre-registration request when he accepts them', async () => {
    const pro = await franceConnectSession(t.app, 'fc-le-goff');
    const created = await pro.send('POST', '/api/preregistration/requests', {
      contact: { email: 'cgu@exemple.fr', mobile: '0670000099' },
      situation: { egFiness: demo.eg1, professionCode: '313', roleCode: 'GENR11', startDate: '2026-11-02' },
      termsAccepted: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const row = await t.database.db.selectFrom('preregistration').select('cguVersion').where('id', '=', created.json().id).executeTakeFirstOrThrow();
    expect(row.cguVersion).toBe(rppsCguVersion);
  });
});
