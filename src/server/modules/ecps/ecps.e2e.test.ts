import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { type Agent, createAgent } from '../../../../tests/support/auth.ts';
import type { MailService } from '../../mail/service.ts';
import { createRegisterService } from '../register/service.ts';
import { actor, distinctRegistration, otherEgInScope, scope } from '../register/testing.ts';
import { createEcpsInvitations } from './invitations.ts';
import { createSimulatedEcps } from './service.ts';
import { smsRecipient } from './sms.ts';

let now = new Date('2026-11-23T10:00:00Z');
const clock = { now: () => now };
let t: TestApp;
const mails: Array<{ to: string; subject: string; text: string; key: string }> = [];
const recordingMail: MailService = {
  async queueMail(_trx, mail, dedupeKey) {
    mails.push({ to: mail.to, subject: mail.subject, text: mail.text, key: dedupeKey });
    return { mailId: dedupeKey, created: true };
  },
};

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => t?.close());

const register = () => createRegisterService({ db: t.database.db, clock, config: t.database.config });

async function registerOne(n: number) {
  const input = distinctRegistration(700 + n);
  const result = await register().registerProfessional(actor, scope, input);
  const person = await t.database.db.selectFrom('person').select(['mobile', 'email']).where('rpps', '=', result.rpps).executeTakeFirstOrThrow();
  return { ...result, input, ...person, idnps: `8${result.rpps}` };
}

let client = 0;
/** Each request from its own address unless told: the per-client limit is tested on its own. */
const post = (url: string, payload: object, remoteAddress = `198.51.100.${(client++ % 250) + 1}`) => t.app.inject({ method: 'POST', url, payload, remoteAddress });
const sameAnswer = { message: expect.stringMatching(/^Si cet identifiant correspond à une e-CPS en attente d’activation, un code vient d’être envoyé par SMS/), validMinutes: 10 };

async function lastSmsCode(mobile: string) {
  const sms = await t.database.db
    .selectFrom('mailMessage')
    .select(['text', 'status'])
    .where('to', '=', smsRecipient(mobile))
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow();
  expect(sms.status).toBe('outbox');
  return /code d’activation est (\d{6})/.exec(sms.text)![1]!;
}

/** PSC sign-in with an e-CPS identifier through the embedded provider; returns the last response. */
async function signInWithEcps(agent: Agent, idnps: string) {
  const start = '/auth/psc/login?retour=/mes-acces';
  const first = await agent.request('GET', start);
  const page = await agent.follow(first, start, (u) => !u.pathname.startsWith('/auth/psc/callback'));
  const action = /<form method="post" action="([^"]+)" class="ecps"/.exec(page.res.body)?.[1];
  if (!action) throw new Error('no e-CPS form on the PSC login page');
  const posted = await agent.request('POST', action.replace(/&amp;/g, '&'), {
    payload: `ecps=${idnps}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  return agent.follow(posted, action);
}

describe('e-CPS activation', () => {
  it('invites a newly registered professional once, by mail, from the register outbox', async () => {
    const pro = await registerOne(1);
    const invitations = createEcpsInvitations({ db: t.database.db, ecps: createSimulatedEcps({ ...t.database, clock, config: t.database.config, mail: recordingMail }) });
    expect(await invitations.hasPending()).toBe(true);
    const report = await invitations.processPending();
    expect(report.invited).toBeGreaterThanOrEqual(1);
    expect(await invitations.hasPending()).toBe(false);
    await invitations.processPending();
    const mine = mails.filter((m) => m.to === pro.email);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.text).toContain(`/e-cps/activation?identifiant=${pro.idnps}`);
    const account = await t.database.db.selectFrom('ecpsAccount').selectAll().where('idnps', '=', pro.idnps).executeTakeFirstOrThrow();
    expect(account.status).toBe('invited');
  });

  it('activates with the one-time SMS code as soon as the registration is committed; codes are hashed and attempts limited', async () => {
    const pro = await registerOne(2);
    // Activation is possible as soon as the registration is committed (the real service: 48 h).
    // How soon is measured by `npm run bench -- publication`, not asserted here.
    const sent = await post('/api/ecps/activation/code', { idnps: pro.idnps });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toEqual(sameAnswer);
    const code = await lastSmsCode(pro.mobile);
    const stored = await t.database.db.selectFrom('ecpsActivationCode').selectAll().orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    expect(stored.codeHash).not.toContain(code);

    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const bad = await post('/api/ecps/activation', { idnps: pro.idnps, code: wrong });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().type).toBe('urn:rpps-plus:problem:activation-code-invalid');

    const ok = await post('/api/ecps/activation', { idnps: pro.idnps, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ idnps: pro.idnps, state: 'active' });
    // Used once.
    expect((await post('/api/ecps/activation', { idnps: pro.idnps, code })).json().type).toBe('urn:rpps-plus:problem:ecps-already-active');

    const audit = await t.database.db.selectFrom('auditEvent').select('action').where('entityType', '=', 'ecps').where('entityId', '=', pro.idnps).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['ecps.code-sent', 'ecps.activation-failed', 'ecps.activate']);
  });

  it('refuses an expired code and a code whose attempts are spent', async () => {
    const pro = await registerOne(3);
    await post('/api/ecps/activation/code', { idnps: pro.idnps });
    const code = await lastSmsCode(pro.mobile);
    now = new Date(now.getTime() + 11 * 60_000);
    try {
      const expired = await post('/api/ecps/activation', { idnps: pro.idnps, code });
      expect(expired.json().type).toBe('urn:rpps-plus:problem:activation-code-expired');
    } finally {
      now = new Date('2026-11-23T10:00:00Z');
    }
    await post('/api/ecps/activation/code', { idnps: pro.idnps });
    const fresh = await lastSmsCode(pro.mobile);
    const wrong = String((Number(fresh) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) expect((await post('/api/ecps/activation', { idnps: pro.idnps, code: wrong })).statusCode).toBe(400);
    const spent = await post('/api/ecps/activation', { idnps: pro.idnps, code: fresh });
    expect(spent.json().type).toBe('urn:rpps-plus:problem:activation-code-expired');
  });

  it('rejects bad and unknown identifiers', async () => {
    expect((await post('/api/ecps/activation/code', { idnps: '8123' })).json().type).toBe('urn:rpps-plus:problem:ecps-identifier-invalid');
    const unknown = await post('/api/ecps/activation/code', { idnps: '801234567897' });
    expect([unknown.statusCode, unknown.json()]).toEqual([200, sameAnswer]);
  });

  it('answers the same, with no digit and no e-CPS state, whether the identifier exists, is active or not (issue 15)', async () => {
    const pro = await registerOne(5);
    const bodies = [];
    for (const idnps of ['801234567897', pro.idnps]) bodies.push((await post('/api/ecps/activation/code', { idnps })).body);
    await post('/api/ecps/activation', { idnps: pro.idnps, code: await lastSmsCode(pro.mobile) });
    bodies.push((await post('/api/ecps/activation/code', { idnps: pro.idnps })).body);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).not.toMatch(/•|\d\d \d\d|active|suspend/);
  });

  it('limits code requests per identifier (even unknown) and per client; a stranger’s requests void no code already sent (issue 15)', async () => {
    const pro = await registerOne(6);
    const first = await post('/api/ecps/activation/code', { idnps: pro.idnps });
    expect(first.statusCode).toBe(200);
    const received = await lastSmsCode(pro.mobile);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/api/ecps/activation/code', { idnps: pro.idnps })).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    const refused = await post('/api/ecps/activation/code', { idnps: pro.idnps });
    expect([refused.statusCode, refused.json().type, Number(refused.headers['retry-after'])]).toEqual([429, 'urn:rpps-plus:problem:too-many-activation-codes', expect.any(Number)]);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    const unknown = [];
    for (let i = 0; i < 4; i++) unknown.push((await post('/api/ecps/activation/code', { idnps: '801234567897 ' })).statusCode);
    expect(unknown.at(-1)).toBe(429);
    // The code the professional received first still activates his e-CPS.
    expect((await post('/api/ecps/activation', { idnps: pro.idnps, code: received })).json()).toMatchObject({ state: 'active' });
    const one = '203.0.113.77';
    const fromOne = [];
    for (let i = 0; i < 11; i++) fromOne.push((await post('/api/ecps/activation/code', { idnps: `80999999999${i % 10}` }, one)).statusCode);
    expect(fromOne.filter((s) => s === 429)).toHaveLength(1);
    expect(fromOne.at(-1)).toBe(429);
  });
});

describe('Pro Santé Connect with e-CPS', () => {
  it('signs in with real identifiers, is refused in French once every situation ended, and is restored by a new situation', async () => {
    const pro = await registerOne(4);
    const agent = createAgent(t.app);
    // Not activated yet.
    const early = await signInWithEcps(agent, pro.idnps);
    expect(early.res.statusCode).toBe(403);
    expect(early.res.body).toContain('e-CPS non activée');

    await post('/api/ecps/activation/code', { idnps: pro.idnps });
    await post('/api/ecps/activation', { idnps: pro.idnps, code: await lastSmsCode(pro.mobile) });

    const signedIn = await signInWithEcps(agent, pro.idnps);
    expect(signedIn.url).toContain('/mes-acces');
    const session = (await agent.request('GET', '/api/session')).json();
    expect(session).toMatchObject({ kind: 'person' });
    expect(JSON.stringify(session)).toContain(pro.idnps);
    // The userinfo carries the register's situation as the real PSC does from the RPPS (issue 16):
    // profession, role (genre d'activité GENR08..12), mode and structure, so a DUI can derive the DMP rights.
    // The professional's session opened last (the clock is fixed: the one not seen before).
    const seen = new Set<string>();
    const userinfo = async () => {
      const rows = (await sql<{ id: string; t: string }>`SELECT id, identity::text AS t FROM session`.execute(t.database.db)).rows;
      const fresh = rows.filter((r) => !seen.has(r.id) && r.t.includes(pro.idnps));
      for (const r of rows) seen.add(r.id);
      return JSON.parse(fresh.at(-1)!.t) as { SubjectRole: string[]; SubjectRefPro: { exercices: Array<Record<string, unknown> & { activities: Array<Record<string, string>> }> } };
    };
    const claims = await userinfo();
    expect(claims.SubjectRole).toEqual(['313^1.2.250.1.213.1.1.5.5']);
    expect(claims.SubjectRefPro.exercices).toHaveLength(1);
    expect(claims.SubjectRefPro.exercices[0]).toMatchObject({ codeProfession: '313', nomDexercice: pro.input.etatCivil.birthName, prenomDexercice: pro.input.etatCivil.firstNames![0] });
    const [activity] = claims.SubjectRefPro.exercices[0]!.activities;
    expect(activity).toMatchObject({ codeGenreActivite: 'GENR11', codeRole: '', codeModeExercice: 'S', numeroFinessSite: pro.input.situation.egFiness, numeroFinessetablissementJuridique: '690800123' });
    expect(Object.keys(activity!)).toHaveLength(30);
    const mine = await agent.request('GET', '/api/me/access');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ rpps: pro.rpps, ecps: { state: 'active' }, mssante: { eligible: true }, roles: [{ code: 'GENR11' }] });
    expect(mine.json().roles[0].documentTypes.map((d: { key: string }) => d.key)).toContain('cr_consult');
    // Seed 001: the DMP does not read these rights yet; "Mes accès" says so (DMP_ROLE_ACCESS_FROM unset: no date).
    expect(mine.json().dmpOpening).toEqual({ open: false, from: null });
    const self = await agent.request('GET', `/api/professionals/${pro.rpps}/mssante`);
    expect(self.json()).toMatchObject({ eligible: true });

    await register().endSituation(actor, scope, pro.situationId, { endDate: '2026-11-23', reason: 'departure' });
    const refused = await signInWithEcps(createAgent(t.app), pro.idnps);
    expect(refused.res.statusCode).toBe(403);
    expect(refused.res.body).toContain('Accès suspendu');
    expect(refused.res.body).toContain('aucune situation d’exercice active');
    expect((await agent.request('GET', '/api/me/access')).json().ecps.state).toBe('suspended');

    await register().addSituation(actor, scope, {
      identity: {
        rpps: pro.rpps,
        birthName: pro.input.etatCivil.birthName!,
        firstName: pro.input.etatCivil.firstNames![0]!,
        sexe: pro.input.etatCivil.sexe!,
        birthDate: pro.input.etatCivil.birthDate!,
      },
      situation: { egFiness: otherEgInScope, professionCode: '313', roleCode: 'GENR08', modeCode: 'S', startDate: '2026-11-23' },
    });
    const restored = await signInWithEcps(createAgent(t.app), pro.idnps);
    expect(restored.url).toContain('/mes-acces');
    // Only the active situation now: its role GENR08 at the other EG.
    const after = (await userinfo()).SubjectRefPro.exercices;
    expect(after.flatMap((e) => e.activities.map((a) => [a.codeGenreActivite, a.numeroFinessSite]))).toEqual([['GENR08', otherEgInScope]]);
    const refusal = await t.database.db.selectFrom('auditEvent').select('action').where('entityId', '=', pro.idnps).where('action', '=', 'ecps.sign-in-refused').execute();
    expect(refusal).toHaveLength(1);
  });
});
