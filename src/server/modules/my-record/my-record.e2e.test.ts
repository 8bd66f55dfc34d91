import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { testJobRuntime } from '../../../../tests/support/jobs.ts';
import { buildApp } from '../../app.ts';
import { silentLogger, type JobRuntime } from '../../jobs/index.ts';
import { outboxMailer } from '../../mail/mailer.ts';
import { createMailService, mailSendJob } from '../../mail/service.ts';
import { demo, sessionFor, type Session } from '../onboarding/testing.ts';
import { createRegisterService } from '../register/service.ts';
import { actor, distinctRegistration, scope } from '../register/testing.ts';

/** "Mon dossier RPPS" (issue 7, self-service): read-only état civil, contact changes confirmed by a code. */
const base = '/api/my-record';
const clock = fixedClock('2026-11-23T10:00:00Z');
let t: TestDatabase;
let app: FastifyInstance;
let runtime: JobRuntime;
let pro: Session;
let rpps: string;

const codeIn = async (to: string) => {
  const rows = await t.db.selectFrom('mailMessage').select(['text', 'dedupeKey']).where('to', '=', to).where('dedupeKey', 'like', 'contact-change:%').execute();
  return /\b(\d{6})\b/.exec(rows.at(-1)?.text ?? '')?.[1];
};

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = testJobRuntime(t, [mailSendJob({ db: t.db, mailer: outboxMailer, clock })]);
  await runtime.start({ log: silentLogger });
  app = await buildApp({ config: t.config, db: t.db, clock, jobs: runtime, mail: createMailService({ jobs: runtime, clock }) }, { logger: false });
  await app.ready();
  ({ rpps } = await createRegisterService({ db: t.db, clock, config: t.config }).registerProfessional(actor, scope, distinctRegistration(901)));
  pro = await sessionFor(app, t.db, `8${rpps}`);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await runtime?.stop();
  await t?.close();
});

describe('my RPPS record', () => {
  it('shows the état civil read-only, the contact and the structures that registered him; only to himself', async () => {
    const res = await pro.get(base);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ rpps, contact: { email: 'pro901@exemple.fr' }, situations: [{ egFiness: '690800206', egName: 'EHPAD LES TILLEULS', ejFiness: demo.ej }] });
    expect(res.json().etatCivil.birthPlace).toMatch(/Lyon/i);
    expect(res.json().registered).toBe(true);
    // A card holder without RPPS number has no record to read: refused.
    const gestionnaire = await sessionFor(app, t.db, demo.idnps.gestionnaireEg);
    expect((await gestionnaire.get(base)).statusCode).toBe(403);
    // An e-CPS identity that no record carries: a state, not an error (no 404 in the browser's console).
    const staff = await sessionFor(app, t.db, demo.idnps.gestionnaireEj);
    const none = await staff.get(base);
    expect(none.statusCode, none.body).toBe(200);
    expect(none.json()).toEqual({ registered: false });
    // Changing the contact of a record that does not exist is still not found.
    expect((await staff.send('POST', `${base}/contact-changes`, { kind: 'email', value: 'x@exemple.fr' })).statusCode).toBe(404);
    // No route changes the état civil.
    expect([404, 405]).toContain((await pro.send('PATCH', base, { birthName: 'AUTRE' })).statusCode);
  });

  it('changes the e-mail only once the code sent to the new address is typed back; the old address is told', async () => {
    const asked = await pro.send('POST', `${base}/contact-changes`, { kind: 'email', value: 'Nouvelle.Adresse@exemple.fr' });
    expect(asked.statusCode, asked.body).toBe(201);
    const { id } = asked.json();
    expect((await pro.get(base)).json().contact.email).toBe('pro901@exemple.fr');
    const code = (await codeIn('nouvelle.adresse@exemple.fr'))!;
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await pro.send('POST', `${base}/contact-changes/${id}/confirm`, { code: code === '000000' ? '111111' : '000000' });
    expect(wrong.json().type).toBe('urn:rpps-plus:problem:contact-change-wrong-code');
    const ok = await pro.send('POST', `${base}/contact-changes/${id}/confirm`, { code });
    expect(ok.statusCode, ok.body).toBe(200);
    expect((await pro.get(base)).json().contact.email).toBe('nouvelle.adresse@exemple.fr');
    expect((await t.db.selectFrom('mailMessage').select('id').where('to', '=', 'pro901@exemple.fr').where('dedupeKey', '=', `contact-change-notice:${id}`).execute()).length).toBe(1);
    // A code works once.
    expect((await pro.send('POST', `${base}/contact-changes/${id}/confirm`, { code })).json().type).toBe('urn:rpps-plus:problem:contact-change-closed');
  });

  it('changes the mobile through an SMS code; five wrong codes close the change', async () => {
    const asked = await pro.send('POST', `${base}/contact-changes`, { kind: 'mobile', value: '06 98 76 54 32' });
    expect(asked.statusCode, asked.body).toBe(201);
    const code = (await codeIn('sms:+33698765432'))!;
    expect(code).toMatch(/^\d{6}$/);
    expect((await pro.send('POST', `${base}/contact-changes/${asked.json().id}/confirm`, { code })).statusCode).toBe(200);
    expect((await pro.get(base)).json().contact.mobile).toBe('+33698765432');

    const again = (await pro.send('POST', `${base}/contact-changes`, { kind: 'mobile', value: '06 98 76 54 33' })).json();
    const good = (await codeIn('sms:+33698765433'))!;
    const bad = good === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await pro.send('POST', `${base}/contact-changes/${again.id}/confirm`, { code: bad });
    expect((await pro.send('POST', `${base}/contact-changes/${again.id}/confirm`, { code: good })).json().type).toBe('urn:rpps-plus:problem:contact-change-closed');
    expect((await pro.get(base)).json().contact.mobile).toBe('+33698765432');
  });

  it('refuses an address used by another person', async () => {
    const res = await pro.send('POST', `${base}/contact-changes`, { kind: 'email', value: 'pro1@exemple.fr' });
    expect([201, 422]).toContain(res.statusCode);
    await createRegisterService({ db: t.db, clock, config: t.config }).registerProfessional(actor, scope, distinctRegistration(902));
    const taken = await pro.send('POST', `${base}/contact-changes`, { kind: 'email', value: 'pro902@exemple.fr' });
    expect(taken.statusCode).toBe(422);
  });
});
