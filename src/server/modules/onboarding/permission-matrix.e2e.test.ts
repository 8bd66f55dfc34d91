import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { fingerprint } from '../../../../tests/support/fingerprint.ts';
import { allowedMutations, pastAuthorization } from '../../../../tests/support/permissions.ts';
import { franceConnectSession, machineSession } from '../../../../tests/support/sessions.ts';
import { apiScopes } from '../../auth/api-keys.ts';
import { isRoutePolicy } from '../../http/policy.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { activeContract, anonymousSession, demo, habilitationFields, multipart, pdf, sessionFor, type Session, testRl } from './testing.ts';

// test:clock: not date-sensitive (who may call each onboarding route; the contract dates it sends are checked by onboarding.e2e with the clock moved, and .ci/run runs it a year ahead with every server test).

/**
 * Issue 5, acceptance 2: every route of the onboarding module × every kind of actor. Refusals
 * are 401/403/404 problems that carry none of the target's data.
 */
const actorKinds = [
  'anonymous',
  'operator',
  'rl',
  'mandataire',
  'gestionnaireEj',
  'gestionnaireEg',
  'professional',
  'rlOtherEj',
  /** EJ-wide gestionnaire of the other EJ (habilitated by its RL). */
  'gestionnaireOtherEj',
  'franceconnect',
  /** An API key with every scope: no onboarding route is for machines. */
  'machine',
] as const;
type ActorKind = (typeof actorKinds)[number];

interface Targets {
  contractA: string;
  pendingContract: string;
  draftB: string;
  habEg1: string;
  habEg2: string;
  habEg2Idnps: string;
  mandataireA: string;
  successionA: string;
}

interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  url: (t: Targets) => string;
  body?: (t: Targets) => { payload: unknown; headers?: Record<string, string> };
  /** Who gets a 2xx. Only checked for reads: allowed mutations are exercised in the other tests. */
  allowed: readonly ActorKind[];
  /** Data of the target that a refusal must never contain. */
  secret?: (t: Targets) => string;
}

const persons = actorKinds.filter((a) => a !== 'anonymous' && a !== 'machine');
const habForm = () => {
  const f = multipart(habilitationFields('810009999004'), { attestation: { name: 'a.pdf', content: pdf() } });
  return { payload: f.payload, headers: f.headers };
};

const successionRequest = { rl: { civility: 'MME', familyName: 'NOUVELLE', givenName: 'Directrice', email: 'nouvelle.direction@a.invalid', phone: '0400000001' }, mieCguVersion, reason: 'Départ à la retraite' };

const cases: Case[] = [
  { method: 'GET', route: '/api/onboarding/me', url: () => '/api/onboarding/me', allowed: persons },
  { method: 'GET', route: '/api/onboarding/contracts', url: () => '/api/onboarding/contracts', allowed: persons },
  { method: 'POST', route: '/api/onboarding/contracts', url: () => '/api/onboarding/contracts', body: () => ({ payload: { ejFiness: demo.ej, rl: { civility: 'M', familyName: 'X', givenName: 'Y', email: 'x@y.fr', phone: '0400000000' } } }), allowed: persons },
  { method: 'GET', route: '/api/onboarding/contractable/:finess', url: () => '/api/onboarding/contractable/590803466', allowed: persons },
  { method: 'GET', route: '/api/onboarding/contracts/:id/form.pdf', url: (t) => `/api/onboarding/contracts/${t.contractA}/form.pdf`, allowed: ['operator', 'rl', 'mandataire'], secret: () => '%PDF' },
  { method: 'GET', route: '/api/onboarding/contracts/:id', url: (t) => `/api/onboarding/contracts/${t.contractA}`, allowed: ['operator', 'rl', 'mandataire'], secret: () => 'representant.legal@' },
  { method: 'PUT', route: '/api/onboarding/contracts/:id/signed-contract', url: (t) => `/api/onboarding/contracts/${t.draftB}/signed-contract`, body: () => { const f = multipart({}, { signedContract: { name: 'c.pdf', content: pdf() } }); return { payload: f.payload, headers: f.headers }; }, allowed: ['rlOtherEj'] },
  { method: 'GET', route: '/api/onboarding/contracts/:id/signed-contract', url: (t) => `/api/onboarding/contracts/${t.contractA}/signed-contract`, allowed: ['operator', 'rl', 'mandataire'], secret: () => '%PDF' },
  { method: 'POST', route: '/api/onboarding/contracts/:id/submit', url: (t) => `/api/onboarding/contracts/${t.draftB}/submit`, body: () => ({ payload: { signedOn: '2026-11-01' } }), allowed: ['rlOtherEj'] },
  { method: 'POST', route: '/api/onboarding/contracts/:id/activate', url: (t) => `/api/onboarding/contracts/${t.pendingContract}/activate`, allowed: ['operator'] },
  { method: 'POST', route: '/api/onboarding/contracts/:id/refuse', url: (t) => `/api/onboarding/contracts/${t.pendingContract}/refuse`, body: () => ({ payload: { reason: 'non' } }), allowed: ['operator'] },
  { method: 'POST', route: '/api/onboarding/contracts/:id/terminate', url: (t) => `/api/onboarding/contracts/${t.contractA}/terminate`, body: () => ({ payload: { reason: 'fin' } }), allowed: ['operator'] },
  { method: 'GET', route: '/api/onboarding/entities/:ejFiness', url: () => `/api/onboarding/entities/${demo.ej}`, allowed: ['operator', 'rl', 'mandataire', 'gestionnaireEj'], secret: () => demo.eg2 },
  { method: 'PUT', route: '/api/onboarding/entities/:ejFiness/strategy', url: () => `/api/onboarding/entities/${demo.ej}/strategy`, body: () => ({ payload: { strategy: 'centralized' } }), allowed: ['rl'] },
  { method: 'GET', route: '/api/onboarding/entities/:ejFiness/mandataires', url: () => `/api/onboarding/entities/${demo.ej}/mandataires`, allowed: ['operator', 'rl', 'mandataire'], secret: () => demo.idnps.mandataire },
  { method: 'POST', route: '/api/onboarding/entities/:ejFiness/mandataires', url: () => `/api/onboarding/entities/${demo.ej}/mandataires`, body: () => ({ payload: { idnps: '810009999004', familyName: 'X', givenName: 'Y', email: 'x@y.fr' } }), allowed: ['rl'] },
  { method: 'DELETE', route: '/api/onboarding/mandataires/:id', url: (t) => `/api/onboarding/mandataires/${t.mandataireA}`, allowed: ['rl'] },
  { method: 'GET', route: '/api/onboarding/entities/:ejFiness/habilitations', url: () => `/api/onboarding/entities/${demo.ej}/habilitations`, allowed: ['operator', 'rl', 'mandataire'], secret: (t) => t.habEg2Idnps },
  { method: 'POST', route: '/api/onboarding/entities/:ejFiness/habilitations', url: () => `/api/onboarding/entities/${demo.ej}/habilitations`, body: habForm, allowed: ['rl', 'mandataire'] },
  { method: 'GET', route: '/api/onboarding/habilitations/:id', url: (t) => `/api/onboarding/habilitations/${t.habEg2}`, allowed: ['operator', 'rl', 'mandataire'], secret: (t) => t.habEg2Idnps },
  { method: 'PATCH', route: '/api/onboarding/habilitations/:id', url: (t) => `/api/onboarding/habilitations/${t.habEg2}`, body: () => ({ payload: { scope: 'eg', egFiness: [demo.eg1] } }), allowed: ['rl', 'mandataire'] },
  { method: 'POST', route: '/api/onboarding/habilitations/:id/revoke', url: (t) => `/api/onboarding/habilitations/${t.habEg2}/revoke`, body: () => ({ payload: {} }), allowed: ['operator', 'rl', 'mandataire'] },
  { method: 'POST', route: '/api/onboarding/entities/:ejFiness/succession', url: () => `/api/onboarding/entities/${demo.ej}/succession`, body: () => ({ payload: successionRequest }), allowed: ['operator', 'rl', 'mandataire'] },
  { method: 'GET', route: '/api/onboarding/successions', url: () => '/api/onboarding/successions', allowed: persons },
  { method: 'POST', route: '/api/onboarding/successions/:id/approve', url: (t) => `/api/onboarding/successions/${t.successionA}/approve`, allowed: ['operator'] },
  { method: 'POST', route: '/api/onboarding/successions/:id/refuse', url: (t) => `/api/onboarding/successions/${t.successionA}/refuse`, body: () => ({ payload: { reason: 'non' } }), allowed: ['operator'] },
  { method: 'GET', route: '/api/onboarding/orphan-structures', url: () => '/api/onboarding/orphan-structures?all=true', allowed: ['operator'] },
  { method: 'POST', route: '/api/onboarding/orphan-structures/:finess/end-situations', url: () => `/api/onboarding/orphan-structures/${demo.eg1}/end-situations`, body: () => ({ payload: { reason: 'Structure fermée', confirm: true } }), allowed: ['operator'] },
  { method: 'GET', route: '/api/onboarding/habilitations/:id/attestation', url: (t) => `/api/onboarding/habilitations/${t.habEg2}/attestation`, allowed: ['operator', 'rl', 'mandataire'], secret: () => '%PDF' },
];

describe('permission matrix of the onboarding routes', () => {
  let t: TestApp;
  let targets: Targets;
  const as = {} as Record<ActorKind, Session>;

  beforeAll(async () => {
    t = await createTestApp();
    const { app, database } = t;
    const db = database.db;
    as.anonymous = anonymousSession(app);
    as.operator = await sessionFor(app, db, demo.idnps.operator);
    as.rl = await sessionFor(app, db, demo.idnps.rl);
    as.mandataire = await sessionFor(app, db, demo.idnps.mandataire);
    as.gestionnaireEj = await sessionFor(app, db, demo.idnps.gestionnaireEj);
    as.gestionnaireEg = await sessionFor(app, db, demo.idnps.gestionnaireEg);
    as.professional = await sessionFor(app, db, demo.idnps.professional);
    as.rlOtherEj = await sessionFor(app, db, demo.idnps.educateur);

    // EJ B gets an active contract whose RL is "rlOtherEj"; he also drafts one for a third EJ.
    await activeContract(as.rlOtherEj, as.operator, demo.otherEj);
    const draftB = (await as.rlOtherEj.send('POST', '/api/onboarding/contracts', { ejFiness: '330052747', rl: testRl(demo.idnps.educateur) })).json();

    const gestB = multipart(habilitationFields('810009999004'), { attestation: { name: 'a.pdf', content: pdf() } });
    expect((await as.rlOtherEj.send('POST', `/api/onboarding/entities/${demo.otherEj}/habilitations`, gestB.payload, gestB.headers)).statusCode).toBe(201);
    as.gestionnaireOtherEj = await sessionFor(app, db, '810009999004');
    as.franceconnect = await franceConnectSession(app, 'fc-dubois');
    as.machine = machineSession(app, (await app.auth.apiKeys.create({ name: 'Toutes portées', scopes: Object.keys(apiScopes), national: true })).key);

    const contracts = await db.selectFrom('contract').select(['id', 'ejFiness', 'status']).execute();
    const habEg2Form = multipart(habilitationFields('810001234563', { scope: 'eg', egFiness: demo.eg2 }), { attestation: { name: 'a.pdf', content: pdf() } });
    const habEg2 = await as.rl.send('POST', `/api/onboarding/entities/${demo.ej}/habilitations`, habEg2Form.payload, habEg2Form.headers);
    expect(habEg2.statusCode, habEg2.body).toBe(201);
    const habEg1 = await db.selectFrom('habilitation').select('id').where('idnps', '=', demo.idnps.gestionnaireEg).executeTakeFirstOrThrow();
    const mandataire = await db.selectFrom('mandataire').select('id').where('idnps', '=', demo.idnps.mandataire).executeTakeFirstOrThrow();
    targets = {
      contractA: contracts.find((c) => c.ejFiness === demo.ej)!.id,
      pendingContract: contracts.find((c) => c.ejFiness === demo.pendingEj)!.id,
      draftB: draftB.id,
      habEg1: habEg1.id,
      habEg2: habEg2.json().id,
      habEg2Idnps: '810001234563',
      mandataireA: mandataire.id,
      successionA: (await as.rl.send('POST', `/api/onboarding/entities/${demo.ej}/succession`, successionRequest)).json().id,
    };
  });
  afterAll(() => t.close());

  it('covers every route of the module, and every API route declares a policy', () => {
    const declared = t.app.declaredRoutes;
    const guarded = declared.filter((r) => /^\/(api|fhir|health)(\/|$)/.test(r.url) && !r.url.startsWith('/api/docs'));
    for (const r of guarded) expect(isRoutePolicy(r.policy), `${r.method} ${r.url}`).toBe(true);
    const mine = declared.filter((r) => r.url.startsWith('/api/onboarding')).map((r) => `${r.method} ${r.url}`).sort();
    expect(cases.map((c) => `${c.method} ${c.route}`).sort()).toEqual(mine);
  });

  const isRefusal = (res: LightMyRequestResponse) =>
    [401, 403, 404].includes(res.statusCode) && String(res.headers['content-type']).startsWith('application/problem+json');

  for (const c of cases.filter((x) => x.secret && x.method === 'GET')) {
    it(`${c.method} ${c.route}: the secret a refusal must not carry is in the allowed answer`, async () => {
      const res = await as[c.allowed[0]!].get(c.url(targets));
      expect(res.statusCode).toBe(200);
      expect(res.body, res.body.slice(0, 300)).toContain(c.secret!(targets));
    });
  }

  for (const c of cases) {
    for (const actor of actorKinds) {
      const allowed = c.allowed.includes(actor);
      if (allowed && c.method !== 'GET') continue; // mutations by allowed actors: see the other tests
      it(`${c.method} ${c.route} as ${actor} → ${allowed ? 'allowed' : 'refused'}`, async () => {
        const body = c.body?.(targets);
        const before = c.method === 'GET' ? undefined : await fingerprint(t.database.db);
        const res = c.method === 'GET' ? await as[actor].get(c.url(targets)) : await as[actor].send(c.method, c.url(targets), body?.payload, body?.headers);
        if (allowed) {
          expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
        } else {
          expect(isRefusal(res), `${res.statusCode} ${res.body.slice(0, 300)}`).toBe(true);
          if (c.secret) expect(res.body).not.toContain(c.secret(targets));
          if (before !== undefined) expect(await fingerprint(t.database.db), 'a refused call changed the database').toBe(before);
        }
      });
    }
  }

  it('lists are scoped in SQL: each actor sees only his part', async () => {
    const ids = async (s: Session, url: string) => ((await s.get(url)).json() as Array<{ id: string; ejFiness: string }>).map((x) => x.ejFiness);
    expect(await ids(as.professional, '/api/onboarding/contracts')).toEqual([]);
    expect(await ids(as.gestionnaireEg, '/api/onboarding/contracts')).toEqual([]);
    expect(new Set(await ids(as.rlOtherEj, '/api/onboarding/contracts'))).toEqual(new Set([demo.otherEj, '330052747']));
    expect(await ids(as.rl, '/api/onboarding/contracts')).toEqual([demo.ej]);
    expect((await ids(as.operator, '/api/onboarding/contracts')).length).toBeGreaterThanOrEqual(4);
    // The EG-scoped gestionnaire sees his own habilitation, not the one of EG 2.
    expect((await as.gestionnaireEg.get(`/api/onboarding/habilitations/${targets.habEg1}`)).statusCode).toBe(200);
    const me = (await as.gestionnaireEg.get('/api/onboarding/me')).json();
    expect(me.myHabilitations.map((h: { id: string }) => h.id)).toEqual([targets.habEg1]);
    expect(me.entities[0].registerScope.establishments.map((e: { finess: string }) => e.finess)).toEqual([demo.eg1]);
    expect(JSON.stringify(me)).not.toContain(demo.eg2);
    // A professional sees only himself.
    const pro = (await as.professional.get('/api/onboarding/me')).json();
    expect(pro).toMatchObject({ operator: false, pendingContracts: null, entities: [], myHabilitations: [] });
  });

  it('an RL of EJ B cannot habilitate on EJ A, nor act on its habilitations', async () => {
    const form = habForm();
    const res = await as.rlOtherEj.send('POST', `/api/onboarding/entities/${demo.ej}/habilitations`, form.payload, form.headers);
    expect(res.statusCode).toBe(403);
    expect((await as.rlOtherEj.send('POST', `/api/onboarding/habilitations/${targets.habEg1}/revoke`, {})).statusCode).toBe(404);
    expect((await t.database.db.selectFrom('habilitation').select('status').where('id', '=', targets.habEg1).executeTakeFirstOrThrow()).status).toBe('active');
  });

  // Last: allowed mutations get past authorization (their effects: the module's other tests).
  for (const [c, actor] of allowedMutations(cases, (c) => Number(c.route.endsWith('/terminate') || c.route.endsWith('/approve')))) {
    it(`${c.method} ${c.route} as ${actor} gets past authorization`, async () => {
      const body = c.body?.(targets);
      const res = await as[actor].send(c.method as 'POST', c.url(targets), body?.payload, body?.headers);
      expect(pastAuthorization, `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    });
  }
});
