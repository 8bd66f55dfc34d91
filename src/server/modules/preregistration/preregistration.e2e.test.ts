import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, csrfOf, signIn, type Agent } from '../../../../tests/support/auth.ts';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { testJobRuntime } from '../../../../tests/support/jobs.ts';
import { buildApp } from '../../app.ts';
import { isValidRpps } from '../../identifiers.ts';
import { silentLogger, type JobRuntime } from '../../jobs/index.ts';
import type { Mailer } from '../../mail/mailer.ts';
import { createMailService, mailSendJob, type MailService } from '../../mail/service.ts';
import { demo, sessionFor, type Session } from '../onboarding/testing.ts';
import { verifyIdentityJob } from '../register/jobs.ts';
import { createPreregistrationService } from './service.ts';
import { until as waitUntil } from '../../../../tests/support/until.ts';

/**
 * Pre-registration over HTTP (issue 7): the professional signed in with FranceConnect, the
 * gestionnaire's queue and decisions, concurrency, mail through the outbox, reminders.
 */
const base = '/api/preregistration';
const clock = fixedClock('2026-11-23T10:00:00Z');
let t: TestDatabase;
let app: FastifyInstance;
let runtime: JobRuntime;
let mail: MailService;
let gEg: Session; // gestionnaire of EG 690800206 only
let gEj: Session; // gestionnaire of the whole EJ 690800123
let operator: Session;

/** An SMTP stand-in that can be "down", counting what it delivered. */
const smtp = { down: false, delivered: [] as string[] };
const flakyMailer: Mailer = {
  delivery: 'smtp',
  async send(m) {
    if (smtp.down) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    smtp.delivered.push(m.messageId);
  },
  close() {},
};

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs?: number) => waitUntil(probe, { timeoutMs });

interface Pro {
  agent: Agent;
  get(url: string): ReturnType<Agent['request']>;
  send(method: 'POST' | 'PUT', url: string, payload?: object): ReturnType<Agent['request']>;
}
async function franceConnect(key: string): Promise<Pro> {
  const agent = createAgent(app);
  await signIn(agent, 'franceconnect', key, '/pre-enregistrement');
  return {
    agent,
    get: (url) => agent.request('GET', url),
    send: (method, url, payload = {}) => agent.request(method, url, { payload, headers: { 'x-csrf-token': csrfOf(agent) } }),
  };
}

const draft = (i: number, eg: string = demo.eg2) => ({
  contact: { email: `prereg${i}@exemple.fr`, mobile: `06${String(70_000_000 + i)}` },
  situation: { egFiness: eg, professionCode: '313', roleCode: 'GENR11', startDate: '2026-11-02' },
  termsAccepted: true,
});

async function sendRequest(pro: Pro, i: number, eg?: string) {
  const created = await pro.send('POST', `${base}/requests`, draft(i, eg));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  const sent = await pro.send('POST', `${base}/requests/${id}/submit`);
  expect(sent.statusCode, sent.body).toBe(200);
  return id;
}

const statusOf = async (id: string) => (await t.db.selectFrom('preregistration').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const mailsTo = (to: string) => t.db.selectFrom('mailMessage').selectAll().where('to', '=', to).execute();
const ticked = { declarations: { accurateAndInformed: true, metInPerson: true } };

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = testJobRuntime(t, [mailSendJob({ db: t.db, mailer: flakyMailer, clock, retry: { retryLimit: 10, retryDelaySeconds: 1, retryDelayMaxSeconds: 2 } }), verifyIdentityJob({ db: t.db, clock })]);
  await runtime.start({ log: silentLogger });
  mail = createMailService({ jobs: runtime, clock });
  app = await buildApp({ config: t.config, db: t.db, clock, jobs: runtime, mail }, { logger: false });
  await app.ready();
  gEg = await sessionFor(app, t.db, demo.idnps.gestionnaireEg);
  gEj = await sessionFor(app, t.db, demo.idnps.gestionnaireEj);
  operator = await sessionFor(app, t.db, demo.idnps.operator);
}, 60_000);
afterAll(async () => {
  await app?.close();
  await runtime?.stop();
  await t?.close();
});

describe('the professional’s request', () => {
  it('takes the état civil from FranceConnect: any état-civil field sent is refused with nothing written', async () => {
    const pro = await franceConnect('fc-le-goff');
    const me = await pro.get(`${base}/me`);
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().etatCivil).toMatchObject({ birthName: 'D’ORNANO', firstNames: ['Marie-Noëlle', 'Céline'], sexe: 'F', birthCommuneCode: '2A004' });
    expect(me.json().etatCivil.birthPlace).toMatch(/Ajaccio/i);
    for (const tampered of [{ ...draft(1), etatCivil: { birthName: 'AUTRE' } }, { ...draft(1), birthDate: '1990-01-01' }, { ...draft(1), contact: { ...draft(1).contact, firstNames: ['X'] } }]) {
      const res = await pro.send('POST', `${base}/requests`, tampered);
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().type).toBe('urn:rpps-plus:problem:etat-civil-not-editable');
    }
    expect((await pro.get(`${base}/me`)).json().requests).toEqual([]);
    // A PSC-signed-in person cannot pre-register (no FranceConnect identity).
    expect((await gEg.send('POST', `${base}/requests`, draft(1))).statusCode).toBe(403);
  });

  it('keeps one open request per person; only structures with an active contract are offered', async () => {
    const pro = await franceConnect('fc-le-goff');
    const first = await pro.send('POST', `${base}/requests`, {});
    expect(first.statusCode, first.body).toBe(201);
    expect((await pro.send('POST', `${base}/requests`, {})).json().type).toBe('urn:rpps-plus:problem:preregistration-already-open');
    const egs = (await pro.get(`${base}/establishments?q=6908`)).json().items.map((e: { finess: string }) => e.finess);
    expect(egs).toContain(demo.eg1);
    expect(egs).not.toContain(demo.otherEjEg);
    const incomplete = await pro.send('POST', `${base}/requests/${first.json().id}/submit`);
    expect(incomplete.statusCode).toBe(422);
    const withdrawn = await pro.send('POST', `${base}/requests/${first.json().id}/withdraw`);
    expect(withdrawn.json().status).toBe('withdrawn');
  });
});

describe('the gestionnaire’s queue and decisions', () => {
  let dubois: Pro;
  let requestId: string;

  it('notifies the habilitated gestionnaires, scopes the queue in SQL and shows the professional only his own', async () => {
    dubois = await franceConnect('fc-dubois');
    requestId = await sendRequest(dubois, 10, demo.eg2);
    const queue = (await gEj.get(`${base}/queue`)).json().items;
    expect(queue.map((r: { id: string }) => r.id)).toContain(requestId);
    expect(queue.find((r: { id: string }) => r.id === requestId)).toMatchObject({ ageDays: 0, etatCivil: { birthName: 'DUBOIS' } });
    expect((await gEj.get(`${base}/queue/count`)).json().pending).toBeGreaterThanOrEqual(1);
    // The gestionnaire of another EG never sees it.
    expect((await gEg.get(`${base}/queue`)).json().items.map((r: { id: string }) => r.id)).not.toContain(requestId);
    expect((await gEg.get(`${base}/queue/${requestId}`)).statusCode).toBe(404);
    expect((await gEg.send('POST', `${base}/queue/${requestId}/validate`, ticked)).statusCode).toBe(404);
    expect((await gEg.get(`${base}/queue/count`)).json().pending).toBe(0);
    // Another professional does not see it.
    const other = await franceConnect('fc-ferreira');
    expect((await other.get(`${base}/requests/${requestId}`)).statusCode).toBe(404);
    // The new-request mail went to the EJ-wide gestionnaire, naming nobody.
    const habilitation = await t.db.selectFrom('habilitation').select('email').where('idnps', '=', demo.idnps.gestionnaireEj).executeTakeFirstOrThrow();
    const notified = (await mailsTo(habilitation.email)).filter((m) => m.dedupeKey?.startsWith('preregistration-new:'));
    expect(notified.length).toBeGreaterThanOrEqual(1);
    expect(notified[0]!.text).not.toContain('DUBOIS');
  });

  it('refuses a tampered état civil from the gestionnaire and unticked declarations, nothing changed', async () => {
    const tampered = await gEj.send('POST', `${base}/queue/${requestId}/validate`, { ...ticked, birthName: 'AUTRE' });
    expect(tampered.statusCode).toBe(422);
    const unticked = await gEj.send('POST', `${base}/queue/${requestId}/validate`, { declarations: { accurateAndInformed: true, metInPerson: false } });
    expect(unticked.statusCode).toBe(422);
    expect(await statusOf(requestId)).toBe('pending');
    expect(await t.db.selectFrom('person').select('id').where('birthName', '=', 'AUTRE').executeTakeFirst()).toBeUndefined();
  });

  it('50 concurrent validate/reject calls: one outcome, one number at most, 409 for the rest', async () => {
    const before = Number((await t.db.selectFrom('rppsNumber').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const calls = Array.from({ length: 50 }, (_, i) =>
      (i % 2 === 0 ? gEj : operator).send(
        'POST',
        `${base}/queue/${requestId}/${i % 3 === 0 ? 'reject' : 'validate'}`,
        i % 3 === 0 ? { reason: 'Pièce d’identité non présentée' } : { ...ticked, roleCode: 'GENR11' },
      ),
    );
    const results = await Promise.all(calls);
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 200)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
    const after = Number((await t.db.selectFrom('rppsNumber').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after - before).toBeLessThanOrEqual(1);
    expect((await t.db.selectFrom('person').select('id').where('birthName', '=', 'DUBOIS').execute()).length).toBeLessThanOrEqual(1);
    const winner = results.find((r) => r.statusCode === 200)!.json();
    expect(['validated', 'rejected']).toContain(await statusOf(requestId));
    expect(await statusOf(requestId)).toBe(winner.status);
    if (winner.status === 'validated') expect(isValidRpps(winner.rpps)).toBe(true);
  });
});

describe('validation and rejection', () => {
  it('validates with the RPPS number e-mailed; a second request of the registered person becomes a new situation', async () => {
    const pro = await franceConnect('fc-dupont');
    const id = await sendRequest(pro, 20, demo.eg1);
    const res = await gEg.send('POST', `${base}/queue/${id}/validate`, { ...ticked, startDate: '2026-11-03' });
    expect(res.statusCode, res.body).toBe(200);
    const { rpps } = res.json();
    expect(res.json().newPerson).toBe(true);
    const sent = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', '=', `preregistration-validated:${id}`).executeTakeFirstOrThrow();
    expect(sent.to).toBe('prereg20@exemple.fr');
    expect(sent.text).toContain(rpps);
    // Case 2 mail, as complete as case 1 (seed 000): summary, correction, e-CPS activation.
    expect(sent.text).toContain('Votre demande de pré-enregistrement a été validée');
    expect(sent.text).toContain('Adresse électronique : prereg20@exemple.fr');
    expect(sent.text).toContain(`(FINESS ${demo.eg1})`);
    expect(sent.text).toContain('Profession : Aide-soignant');
    // Exercise names: by default the FranceConnect birth name and first first name, accents kept.
    expect(sent.text).toContain('Stéphane DUPONT');
    expect(sent.text).toContain('Une information est inexacte ?');
    expect(sent.text).toContain(`soit 8${rpps}`);
    expect(sent.text).not.toContain('1962');
    expect((await pro.get(`${base}/requests/${id}`)).json()).toMatchObject({ status: 'validated', rpps });

    // The professional sets his exercise names in the request; the gestionnaire corrects one at validation.
    const created = await pro.send('POST', `${base}/requests`, { ...draft(20, demo.eg2), situation: { ...draft(20, demo.eg2).situation, exerciseLastName: 'Dupont', exerciseFirstName: 'Stéph' } });
    expect(created.statusCode, created.body).toBe(201);
    const second = created.json().id as string;
    expect(created.json().situation).toMatchObject({ exerciseLastName: 'Dupont', exerciseFirstName: 'Stéph' });
    expect((await pro.send('POST', `${base}/requests/${second}/submit`)).statusCode).toBe(200);
    const res2 = await gEj.send('POST', `${base}/queue/${second}/validate`, { ...ticked, roleCode: 'GENR11', exerciseFirstName: 'Stéphane-Louis' });
    expect(res2.statusCode, res2.body).toBe(200);
    expect(res2.json()).toMatchObject({ rpps, newPerson: false });
    const added = await t.db.selectFrom('situation').select(['exerciseLastName', 'exerciseFirstName']).where('id', '=', res2.json().situationId).executeTakeFirstOrThrow();
    expect(added).toEqual({ exerciseLastName: 'Dupont', exerciseFirstName: 'Stéphane-Louis' });
    const sent2 = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', '=', `preregistration-validated:${second}`).executeTakeFirstOrThrow();
    expect(sent2.text).toContain('Une nouvelle situation d’exercice a été ajoutée');
    expect(sent2.text).toContain('Stéphane-Louis Dupont');
    const person = await t.db.selectFrom('person').select('id').where('rpps', '=', rpps).executeTakeFirstOrThrow();
    expect((await t.db.selectFrom('situation').select('id').where('personId', '=', person.id).execute()).length).toBe(2);
    expect((await t.db.selectFrom('person').select('id').where('birthName', '=', 'DUPONT').where('birthDate', '=', '1962-08-24').execute()).length).toBe(1);
  });

  it('rejects only with a reason, which is e-mailed to the professional', async () => {
    const pro = await franceConnect('fc-ferreira');
    const id = await sendRequest(pro, 30, demo.eg1);
    expect((await gEg.send('POST', `${base}/queue/${id}/reject`, { reason: '' })).statusCode).toBe(422);
    const res = await gEg.send('POST', `${base}/queue/${id}/reject`, { reason: 'Vous ne faites pas partie du personnel de l’EHPAD.' });
    expect(res.statusCode, res.body).toBe(200);
    const [rejected] = (await mailsTo('prereg30@exemple.fr')).filter((m) => m.dedupeKey === `preregistration-rejected:${id}`);
    expect(rejected!.text).toContain('Vous ne faites pas partie du personnel');
    expect((await pro.get(`${base}/requests/${id}`)).json()).toMatchObject({ status: 'rejected', rejectReason: 'Vous ne faites pas partie du personnel de l’EHPAD.' });
  });

  it('SMTP down during validation: the validation succeeds, the mail is delivered once the server is back, never twice', async () => {
    const pro = await franceConnect('fc-le-goff');
    const id = await sendRequest(pro, 40, demo.eg1);
    smtp.down = true;
    const res = await gEg.send('POST', `${base}/queue/${id}/validate`, ticked);
    expect(res.statusCode, res.body).toBe(200);
    const stored = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', '=', `preregistration-validated:${id}`).executeTakeFirstOrThrow();
    await until(async () => ((await t.db.selectFrom('mailMessage').select('attempts').where('id', '=', stored.id).executeTakeFirstOrThrow()).attempts >= 1 ? true : undefined));
    expect(smtp.delivered).not.toContain(`<${stored.id}@rpps-plus>`);
    smtp.down = false;
    await until(async () => ((await t.db.selectFrom('mailMessage').select('status').where('id', '=', stored.id).executeTakeFirstOrThrow()).status === 'sent' ? true : undefined), 30_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.delivered.filter((m) => m === `<${stored.id}@rpps-plus>`)).toHaveLength(1);
  }, 45_000);
});

describe('reminders (injected clock)', () => {
  it('one reminder per period: gestionnaires after the delay, the RL too after the second delay', async () => {
    const pro = await franceConnect('fc-ferreira');
    const id = await sendRequest(pro, 50, demo.eg1);
    const submittedAt = (await t.db.selectFrom('preregistration').select('submittedAt').where('id', '=', id).executeTakeFirstOrThrow()).submittedAt!;
    const at = (days: number) => createPreregistrationService({ db: t.db, clock: { now: () => new Date(submittedAt.getTime() + days * 86_400_000) }, config: t.config, mail });
    const reminders = async () => (await t.db.selectFrom('mailMessage').select(['to', 'dedupeKey']).where('dedupeKey', 'like', `preregistration-reminder%:${id}:%`).execute());
    expect(t.config.preregistration.reminderDays).toBe(7);
    await at(6.9).sendReminders();
    expect(await reminders()).toEqual([]);
    await at(7.1).sendReminders();
    const first = await reminders();
    expect(first.length).toBeGreaterThanOrEqual(1);
    expect(first.every((m) => m.dedupeKey!.startsWith('preregistration-reminder:'))).toBe(true);
    await at(7.2).sendReminders();
    await at(13.9).sendReminders();
    expect(await reminders()).toHaveLength(first.length);
    await at(14.1).sendReminders();
    const second = await reminders();
    const rl = await t.db.selectFrom('contract').select('rlEmail').where('ejFiness', '=', demo.ej).where('status', '=', 'active').executeTakeFirstOrThrow();
    expect(second.filter((m) => m.dedupeKey!.startsWith('preregistration-reminder-rl:')).map((m) => m.to)).toEqual([rl.rlEmail]);
    expect(second.filter((m) => m.dedupeKey!.startsWith('preregistration-reminder:'))).toHaveLength(first.length * 2);
    await at(14.2).sendReminders();
    expect(await reminders()).toHaveLength(second.length);
  });
});
