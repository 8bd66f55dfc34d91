import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { createAgent, csrfOf, signIn } from '../../../../tests/support/auth.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { createRegisterService } from '../register/service.ts';
import { actor, distinctRegistration, egInScope, otherEgInScope, scope } from '../register/testing.ts';

const clock = fixedClock('2026-11-23T10:00:00Z');
let t: TestApp;
let decideKey: string;
let otherKey: string;
let mssanteKey: string;
const p: Record<'genr11' | 'two' | 'ended' | 'future' | 'none' | 'admissions', string> = { genr11: '', two: '', ended: '', future: '', none: '', admissions: '' };

beforeAll(async () => {
  t = await createTestApp({ clock });
  const keys = t.app.auth.apiKeys;
  decideKey = (await keys.create({ name: 'DMP', scopes: ['access:decide'] })).key;
  otherKey = (await keys.create({ name: 'Annuaire', scopes: ['directory:read'] })).key;
  mssanteKey = (await keys.create({ name: 'Opérateur MSSanté', scopes: ['mssante:read'] })).key;

  const register = createRegisterService({ db: t.database.db, clock, config: t.database.config });
  const reg = async (n: number, situation: Record<string, string> = {}) => {
    const input = distinctRegistration(900 + n);
    return register.registerProfessional(actor, scope, { ...input, situation: { ...input.situation, ...situation } });
  };
  p.genr11 = (await reg(1)).rpps;
  const two = await reg(2, { roleCode: 'GENR10' });
  p.two = two.rpps;
  const twoInput = distinctRegistration(902);
  await register.addSituation(actor, scope, {
    identity: {
      rpps: two.rpps,
      birthName: twoInput.etatCivil.birthName!,
      firstName: twoInput.etatCivil.firstNames![0]!,
      sexe: twoInput.etatCivil.sexe!,
      birthDate: twoInput.etatCivil.birthDate!,
    },
    situation: { egFiness: otherEgInScope, professionCode: '313', roleCode: 'GENR08', modeCode: 'S', startDate: '2026-11-02' },
  });
  const ended = await reg(3);
  p.ended = ended.rpps;
  await register.endSituation(actor, scope, ended.situationId, { endDate: '2026-11-20', reason: 'departure' });
  p.future = (await reg(4, { startDate: '2026-12-15' })).rpps;
  p.admissions = (await reg(5, { professionCode: '365', roleCode: 'GENR09' })).rpps;
});
afterAll(async () => t?.close());

const post = (url: string, payload: object, key = decideKey) =>
  t.app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${key}` } });

describe('POST /api/access-decisions', () => {
  it('allows a role granted by the matrix in force, through the situation that grants it', async () => {
    const res = await post('/api/access-decisions', { professional: p.genr11, documentType: 'cr_consult' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      allow: true,
      reason: 'role-grants-access',
      through: [{ egFiness: egInScope, roleCode: 'GENR11' }],
      professional: { rpps: p.genr11, idnps: `8${p.genr11}` },
      documentType: { key: 'cr_consult', code: '11488-4' },
      on: '2026-11-23',
      matrixVersion: { effectiveFrom: '2025-04-01' },
    });
  });

  it('accepts the IDNPS and a LOINC code', async () => {
    const res = await post('/api/access-decisions', { professional: `8${p.genr11}`, documentType: '11488-4' });
    expect(res.json()).toMatchObject({ allow: true, documentType: { key: 'cr_consult' } });
  });

  it('gives two situations with different roles the union of their rights', async () => {
    // cr_consult: GENR08 yes, GENR10 no (seed 004).
    const res = await post('/api/access-decisions', { professional: p.two, documentType: 'cr_consult' });
    expect(res.json()).toMatchObject({ allow: true, through: [{ egFiness: otherEgInScope, roleCode: 'GENR08' }] });
  });

  it('denies after the end of the situation, and before its start', async () => {
    expect((await post('/api/access-decisions', { professional: p.ended, documentType: 'cr_consult' })).json()).toMatchObject({
      allow: false,
      reason: 'situation-ended',
    });
    expect((await post('/api/access-decisions', { professional: p.future, documentType: 'cr_consult' })).json()).toMatchObject({
      allow: false,
      reason: 'situation-not-started',
    });
    // At a date inside the ended situation, it granted access.
    const past = await post('/api/access-decisions', { professional: p.ended, documentType: 'cr_consult', on: '2026-11-10' });
    expect(past.json()).toMatchObject({ allow: true });
  });

  it('uses the matrix version in force on the date asked', async () => {
    const res = await post('/api/access-decisions', { professional: p.genr11, documentType: 'cr_consult', on: '2024-06-01' });
    expect(res.json().matrixVersion.effectiveFrom).toBe('2022-12-01');
  });

  it('refuses bad identifiers with 400 and an unknown professional with 404', async () => {
    const wrongKey = p.genr11.slice(0, 10) + String((Number(p.genr11[10]) + 1) % 10);
    for (const professional of ['123', '1234567890123', wrongKey, `8${wrongKey}`]) {
      const res = await post('/api/access-decisions', { professional, documentType: 'cr_consult' });
      expect(res.statusCode, professional).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toBe('urn:rpps-plus:problem:invalid-professional-identifier');
    }
    const unknownDoc = await post('/api/access-decisions', { professional: p.genr11, documentType: 'nope' });
    expect(unknownDoc.statusCode).toBe(400);
    expect(unknownDoc.json().type).toBe('urn:rpps-plus:problem:unknown-document-type');
    const unknown = await post('/api/access-decisions', { professional: '01234567897', documentType: 'cr_consult' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().type).toBe('urn:rpps-plus:problem:professional-not-found');
  });

  it('refuses callers without the access:decide scope', async () => {
    const none = await t.app.inject({ method: 'POST', url: '/api/access-decisions', payload: { professional: p.genr11, documentType: 'cr_consult' } });
    expect(none.statusCode).toBe(401);
    const other = await post('/api/access-decisions', { professional: p.genr11, documentType: 'cr_consult' }, otherKey);
    expect(other.statusCode).toBe(403);
    expect(other.json().type).toBe('urn:rpps-plus:problem:insufficient-scope');
  });
});

describe('API key revocation (authentication of decisions may come from memory)', () => {
  it('refuses the next decision and batch of a revoked key at once, with no answer and no audit row', async () => {
    const keys = t.app.auth.apiKeys;
    const created = await keys.create({ name: 'DMP révoqué', scopes: ['access:decide'] });
    const question = { professional: p.genr11, documentType: 'cr_consult' };
    // Verified once: the next authentications of this key come from memory.
    expect((await post('/api/access-decisions', question, created.key)).statusCode).toBe(200);
    expect((await post('/api/access-decisions', question, created.key)).statusCode).toBe(200);
    const audited = async () => Number((await t.database.db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).where('actorId', '=', `api-key:${created.apiKey.id}`).executeTakeFirstOrThrow()).n);
    const before = await audited();
    await keys.revoke(created.apiKey.id);
    for (const [url, payload] of [['/api/access-decisions', question], ['/api/access-decisions/batch', { questions: [question] }]] as const) {
      const res = await post(url, payload, created.key);
      expect(res.statusCode, url).toBe(401);
      expect(res.json().type).toBe('urn:rpps-plus:problem:invalid-api-key');
    }
    expect(await audited()).toBe(before);
  });
});

describe('single decisions made at the same time (one lookup for several)', () => {
  it('gives each caller the answer of its own question, and refuses only the revoked key among them', async () => {
    const keys = t.app.auth.apiKeys;
    const revoked = await keys.create({ name: 'DMP révoqué (groupe)', scopes: ['access:decide'] });
    const revokedQuestion = { professional: p.genr11, documentType: 'cr_consult' };
    expect((await post('/api/access-decisions', revokedQuestion, revoked.key)).statusCode).toBe(200);
    await keys.revoke(revoked.apiKey.id);

    const people = [p.genr11, p.two, p.ended, p.future, p.admissions, '01234567897', '123', `8${p.genr11}`];
    const docs = ['cr_consult', 'll_sortie_sms', '11490-0', 'nope'];
    const questions = Array.from({ length: 40 }, (_, i) => ({ professional: people[i % people.length]!, documentType: docs[i % docs.length]! }));
    // One at a time first: each question alone in its lookup.
    const alone = [];
    for (const q of questions) alone.push(await post('/api/access-decisions', q));
    // Then all at once, the revoked key's among them: they share lookups.
    const together = await Promise.all([...questions.map((q) => post('/api/access-decisions', q)), post('/api/access-decisions', revokedQuestion, revoked.key)]);
    const revokedAnswer = together.pop()!;
    expect(revokedAnswer.statusCode).toBe(401);
    expect(revokedAnswer.json().type).toBe('urn:rpps-plus:problem:invalid-api-key');
    expect(together.map((r) => [r.statusCode, r.json()])).toEqual(alone.map((r) => [r.statusCode, r.json()]));
    expect(new Set(together.map((r) => r.statusCode))).toEqual(new Set([200, 400, 404]));
  });
});

describe('no answer without its audit row', () => {
  it('answers an error, not the decision, when the INSERT of its audit row fails', async () => {
    const db = t.database.db;
    await sql`create function test_refuse_audit() returns trigger language plpgsql as $$
      begin raise exception 'audit refused (test)'; end $$`.execute(db);
    await sql`create trigger test_refuse_audit before insert on audit_event for each row
      when (new.entity_id = 'audit-must-fail') execute function test_refuse_audit()`.execute(db);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/access-decisions',
        payload: { professional: p.genr11, documentType: 'cr_consult' },
        headers: { authorization: `Bearer ${decideKey}`, 'x-request-id': 'audit-must-fail' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).not.toHaveProperty('allow');
      const rows = await db.selectFrom('auditEvent').select('id').where('entityId', '=', 'audit-must-fail').execute();
      expect(rows).toEqual([]);
    } finally {
      await sql`drop trigger test_refuse_audit on audit_event`.execute(db);
      await sql`drop function test_refuse_audit()`.execute(db);
    }
    // The writer goes on: the next decision is answered and audited.
    const next = await t.app.inject({
      method: 'POST',
      url: '/api/access-decisions',
      payload: { professional: p.genr11, documentType: 'cr_consult' },
      headers: { authorization: `Bearer ${decideKey}`, 'x-request-id': 'audit-after-failure' },
    });
    expect(next.statusCode).toBe(200);
    expect(await db.selectFrom('auditEvent').select('id').where('entityId', '=', 'audit-after-failure').execute()).toHaveLength(1);
  });
});

describe('POST /api/access-decisions/batch', () => {
  it('answers 1,000 questions in one call, errors at their index, with one audit row', async () => {
    const docs = ['cr_consult', 'll_sortie_sms', '11490-0', 'nope'];
    const people = [p.genr11, p.two, p.ended, p.future, '01234567897', '123'];
    const questions = Array.from({ length: 1000 }, (_, i) => ({ professional: people[i % people.length]!, documentType: docs[i % docs.length]! }));
    const before = await t.database.db.selectFrom('auditEvent').select((eb) => eb.fn.countAll<string>().as('n')).where('entityType', '=', 'access-decision').executeTakeFirstOrThrow();
    const res = await post('/api/access-decisions/batch', { questions });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items).toHaveLength(1000);
    expect(body.items.map((i: { index: number }) => i.index)).toEqual(questions.map((_, i) => i));
    expect(body.counts.questions).toBe(1000);
    expect(body.counts.allowed + body.counts.denied + body.counts.errors).toBe(1000);
    expect(body.items[0]).toMatchObject({ allow: true, professional: { rpps: p.genr11 } });
    expect(body.items[4].error.code).toBe('professional-not-found');
    expect(body.items[5].error.code).toBe('invalid-professional-identifier');
    expect(body.items[3].error.code).toBe('unknown-document-type');
    // Its speed is `npm run bench -- access-decision` (a batch of 1,000), not asserted here.

    const rows = await t.database.db.selectFrom('auditEvent').selectAll().where('entityType', '=', 'access-decision').orderBy('id', 'desc').execute();
    expect(rows.length - Number(before.n)).toBe(1);
    const audit = rows[0]!.after as { questions: number; allowed: number; decisions: unknown[][] };
    expect(rows[0]).toMatchObject({ action: 'access.decide-batch', actorKind: 'machine' });
    expect(audit.questions).toBe(1000);
    expect(audit.decisions).toHaveLength(1000);
    expect(audit.decisions[0]).toEqual([p.genr11, 'cr_consult', null, 'allow', 'role-grants-access']);
  });

  it('refuses more than 1,000 questions', async () => {
    const questions = Array.from({ length: 1001 }, () => ({ professional: p.genr11, documentType: 'cr_consult' }));
    expect((await post('/api/access-decisions/batch', { questions })).statusCode).toBe(400);
  });

  it('audits single decisions too', async () => {
    await post('/api/access-decisions', { professional: p.two, documentType: 'cr_consult' });
    const row = await t.database.db.selectFrom('auditEvent').selectAll().where('action', '=', 'access.decide').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row.after).toMatchObject({ questions: 1, allowed: 1, decisions: [[p.two, 'cr_consult', null, 'allow', 'role-grants-access']] });
  });
});

describe('POST /api/access-matrix (publication)', () => {
  const version = { label: 'Matrice test', effectiveFrom: '2027-01-01', source: 'ANS, test', grants: { GENR09: ['cr_consult', '11490-0'] } };

  it('is for ANS operators only, validates codes and dates, and applies from its date', async () => {
    const gestionnaire = createAgent(t.app);
    await signIn(gestionnaire, 'psc', 'gestionnaire-ej');
    const refused = await gestionnaire.request('POST', '/api/access-matrix', { payload: version, headers: { 'x-csrf-token': csrfOf(gestionnaire) } });
    expect(refused.statusCode).toBe(403);

    const operator = createAgent(t.app);
    await signIn(operator, 'psc', 'operateur-ans');
    const send = (body: object) => operator.request('POST', '/api/access-matrix', { payload: body, headers: { 'x-csrf-token': csrfOf(operator) } });
    const past = await send({ ...version, effectiveFrom: '2026-11-01' });
    expect(past.statusCode).toBe(400);
    const bad = await send({ ...version, grants: { GENR99: ['cr_consult'], GENR09: ['nope'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/grants/GENR99', '/body/grants/GENR09/0']);
    const ok = await send(version);
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ effectiveFrom: '2027-01-01' });
    expect((await send(version)).statusCode).toBe(409);

    // Today the 2025 version still applies; from 2027-01-01 the new one (GENR09 reads cr_consult).
    const ask = (on?: string) => post('/api/access-decisions', { professional: p.genr11, documentType: 'cr_consult', ...(on ? { on } : {}) });
    expect((await ask()).json().matrixVersion.effectiveFrom).toBe('2025-04-01');
    const later = (await ask('2027-02-01')).json();
    expect(later).toMatchObject({ allow: false, reason: 'role-does-not-grant-access', matrixVersion: { effectiveFrom: '2027-01-01' } });
    const audit = await t.database.db.selectFrom('auditEvent').selectAll().where('action', '=', 'access-matrix.publish').executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ effectiveFrom: '2027-01-01', entries: 2 });
  });
});

describe('MSSanté eligibility', () => {
  it('answers the professional’s structure staff and machine clients with the scope; others get 404', async () => {
    const gestionnaire = createAgent(t.app);
    await signIn(gestionnaire, 'psc', 'gestionnaire-ej');
    const res = await gestionnaire.request('GET', `/api/professionals/${p.two}/mssante`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ eligible: true, reason: 'active-situation' });
    expect(res.json().structures.map((s: { egFiness: string }) => s.egFiness).sort()).toEqual([egInScope, otherEgInScope].sort());
    const ended = await gestionnaire.request('GET', `/api/professionals/${p.ended}/mssante`);
    expect(ended.json()).toMatchObject({ eligible: false, reason: 'no-active-situation', structures: [] });

    const machine = await t.app.inject({ method: 'GET', url: `/api/mssante/eligibility/${p.genr11}`, headers: { authorization: `Bearer ${mssanteKey}` } });
    expect(machine.json()).toMatchObject({ eligible: true });
    const wrongScope = await t.app.inject({ method: 'GET', url: `/api/mssante/eligibility/${p.genr11}`, headers: { authorization: `Bearer ${decideKey}` } });
    expect(wrongScope.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/professionals/${p.genr11}/mssante` })).statusCode).toBe(401);

    const bad = await gestionnaire.request('GET', '/api/professionals/12345678901/mssante');
    expect(bad.statusCode).toBe(400);
  });

  it('follows the professional category (seed 000: entitled to exchange health data), not any active situation', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/mssante/eligibility/${p.admissions}`, headers: { authorization: `Bearer ${mssanteKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ eligible: false, reason: 'profession-not-entitled', structures: [] });
  });
});

describe('DMP opening (seed 001: consultation not open yet)', () => {
  it('the matrix says the rights apply when the DMP opens them, with no date while unknown', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/access-matrix' });
    expect(res.json().dmpOpening).toEqual({ open: false, from: null });
  });
});
