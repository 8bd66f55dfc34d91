import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { buildApp } from '../../app.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { createMailService } from '../../mail/service.ts';
import { anonymousSession, demo, sessionFor, type Session } from '../onboarding/testing.ts';

/** Issue 16, item 1: the contact form files a support request that operators answer. */
describe('help desk: contact form and back office', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let anonymous: Session;
  let operator: Session;
  let gestionnaire: Session;
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const request = (i: number) => ({
    audience: 'gestionnaire',
    topic: 'enregistrement',
    name: 'Claire Martin',
    email: `claire${i}@exemple.fr`,
    finess: demo.eg1,
    subject: 'Numéro RPPS non reçu',
    message: 'Le professionnel enregistré hier n’a pas reçu son numéro RPPS par courriel.',
  });

  beforeAll(async () => {
    t = await createTestDatabase({ SUPPORT_EMAIL: 'support@exemple.fr', SUPPORT_RATE_LIMIT_PER_HOUR: '3' });
    // Mails are stored in the outbox table; their delivery (a job) is not needed here.
    const jobs = { enqueue: async () => undefined } as unknown as JobQueue;
    app = await buildApp({ config: t.config, db: t.db, clock, mail: createMailService({ jobs, clock }) }, { logger: false });
    await app.ready();
    anonymous = anonymousSession(app);
    operator = await sessionFor(app, t.db, demo.idnps.operator);
    gestionnaire = await sessionFor(app, t.db, demo.idnps.gestionnaireEj);
  });
  afterAll(async () => {
    await app.close();
    await t.close();
  });

  it('files an anonymous request with a reference, mails it to the support address and acknowledges it', async () => {
    const res = await anonymous.send('POST', '/api/support/requests', request(1));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().reference).toMatch(/^RPPS-2026-\d{6}$/);
    const mails = await t.db.selectFrom('mailMessage').select(['to', 'subject', 'text']).where('dedupeKey', 'like', 'support-%').execute();
    expect(mails.map((m) => m.to).sort()).toEqual(['claire1@exemple.fr', 'support@exemple.fr']);
    const toSupport = mails.find((m) => m.to === 'support@exemple.fr')!;
    expect(toSupport.subject).toContain(res.json().reference);
    expect(toSupport.text).toContain('n’a pas reçu son numéro RPPS');
    expect(mails.find((m) => m.to === 'claire1@exemple.fr')!.text).toContain(res.json().reference);
  });

  it('refuses an incomplete form (400) and stores nothing', async () => {
    const before = await t.db.selectFrom('supportRequest').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await anonymous.send('POST', '/api/support/requests', { ...request(2), email: 'pas-une-adresse' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const after = await t.db.selectFrom('supportRequest').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('lets only operators list and answer; the answer is mailed once', async () => {
    const filed = (await gestionnaire.send('POST', '/api/support/requests', request(3))).json();
    expect((await gestionnaire.get('/api/support/requests')).statusCode).toBe(403);
    const open = (await operator.get('/api/support/requests?status=open')).json();
    const mine = open.find((r: { reference: string }) => r.reference === filed.reference);
    expect(mine).toMatchObject({ status: 'open', email: 'claire3@exemple.fr', finess: demo.eg1 });
    expect((await gestionnaire.send('POST', `/api/support/requests/${mine.id}/answer`, { answer: 'Réponse' })).statusCode).toBe(403);
    const answered = await operator.send('POST', `/api/support/requests/${mine.id}/answer`, { answer: 'Le courriel est parti : vérifiez les indésirables.' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'answered', answer: 'Le courriel est parti : vérifiez les indésirables.' });
    expect((await operator.send('POST', `/api/support/requests/${mine.id}/answer`, { answer: 'Encore' })).json().type).toBe('urn:rpps-plus:problem:support-request-answered');
    const mail = await t.db.selectFrom('mailMessage').select(['to', 'text']).where('dedupeKey', '=', `support-answer:${mine.id}`).execute();
    expect(mail).toHaveLength(1);
    expect(mail[0]).toMatchObject({ to: 'claire3@exemple.fr' });
    expect(mail[0]!.text).toContain('vérifiez les indésirables');
  });

  it('limits the anonymous form per client (429 with Retry-After)', async () => {
    let last = await anonymous.send('POST', '/api/support/requests', request(4));
    for (let i = 0; i < 5 && last.statusCode !== 429; i++) last = await anonymous.send('POST', '/api/support/requests', request(5 + i));
    expect(last.statusCode).toBe(429);
    expect(last.json().type).toBe('urn:rpps-plus:problem:too-many-support-requests');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
  });
});
