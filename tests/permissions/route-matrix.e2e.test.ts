import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiScopes } from '../../src/server/auth/api-keys.ts';
import { postgresFileStore } from '../../src/server/files/store.ts';
import { isRoutePolicy } from '../../src/server/http/policy.ts';
import { createBulkImportService } from '../../src/server/modules/bulk-import/service.ts';
import { toCsv, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { activeContract, anonymousSession, demo, habilitationFields, multipart, pdf, sessionFor, type Session } from '../../src/server/modules/onboarding/testing.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { actor as seeder, distinctRegistration, etatCivil } from '../../src/server/modules/register/testing.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { fingerprint } from '../support/fingerprint.ts';
import { allowedMutations, pastAuthorization } from '../support/permissions.ts';
import { franceConnectSession, machineSession } from '../support/sessions.ts';
import { type ActorKind, actorKinds, coveredElsewhere, draftSecret, machineKinds, publicRoutes, registrars, type Row, rows, supportSecret, type Targets } from './routes.ts';

// test:clock: not date-sensitive (who may call each route, 1,133 requests; its fixtures are registered through the register paths that register.e2e and register.int run with the clock moved, and .ci/run runs it a year ahead with every server test).

/**
 * "Impossible to misuse": every non-public route of the application × every kind of actor, as
 * data (./routes.ts). A refusal is a 401/403/404 problem that carries none of the target's data,
 * and a refused mutation leaves the database as it was (every business table, audit included).
 */

const isProblem = (res: LightMyRequestResponse) => String(res.headers['content-type']).startsWith('application/problem+json');

/**
 * The refusal an actor must get: the kernel answers 401 to anonymous callers and to people on
 * machine routes, 403 to machines on people's routes and to keys without the route's scope; the
 * services answer 403 (not his role) or 404 (not visible to him).
 */
function expectedRefusal(row: Row, policy: string, actor: ActorKind): number[] {
  if (actor === 'anonymous') return [401];
  // Only the METRICS_TOKEN bearer passes; a session or an API key is not it.
  if (policy === 'metrics') return [401];
  // An object of structure A asked by id by someone who registers elsewhere (another EJ, another
  // EG, another gestionnaire's draft): not found, its existence is not revealed.
  const objectOfA = row.route.includes(':') && row.allowed.some((a) => a === 'rl' || a === 'gestEjA' || a === 'gestEgA');
  if (objectOfA && (registrars as readonly ActorKind[]).includes(actor)) return [404];
  const machine = machineKinds.includes(actor);
  if (policy === 'authenticated') return machine ? [403] : [403, 404];
  if (!machine) return [401];
  // Structure B's key asking for an object of A that A's key may follow: not found either.
  if (actor === 'machineB' && row.route.includes(':') && row.allowed.includes('machineA')) return [404];
  return actor === 'machineOther' ? [403] : [403, 404];
}

let t: TestApp;
let targets: Targets;
const as = {} as Record<ActorKind, Session>;

beforeAll(async () => {
  t = await createTestApp();
  const { app, database } = t;
  const db = database.db;
  const config = database.config;
  const clock = { now: () => new Date('2026-11-23T10:00:00Z') };

  // Structure B: an active contract whose RL (the "educateur") habilitates an EJ-wide gestionnaire.
  const rlB = await sessionFor(app, db, demo.idnps.educateur);
  const operator = await sessionFor(app, db, demo.idnps.operator);
  await activeContract(rlB, operator, demo.otherEj);
  const gestEjBIdnps = '810009999004';
  const hab = multipart(habilitationFields(gestEjBIdnps), { attestation: { name: 'a.pdf', content: pdf() } });
  const habilitated = await rlB.send('POST', `/api/onboarding/entities/${demo.otherEj}/habilitations`, hab.payload, hab.headers);
  expect(habilitated.statusCode, habilitated.body).toBe(201);

  // People of structure A (and one of B), registered through the register service.
  const register = createRegisterService({ db, clock, config });
  const registerIn = async (n: number, egFiness: string) => {
    const r = distinctRegistration(n);
    return { input: r, ...(await register.registerProfessional(seeder, 'all', { ...r, situation: { ...r.situation, egFiness } })) };
  };
  const a = await registerIn(301, demo.eg1);
  const inEg2 = await registerIn(302, demo.eg2);
  await registerIn(303, demo.otherEjEg);
  const both = await registerIn(304, demo.eg1);
  const e = both.input.etatCivil;
  const bothEg2 = await register.addSituation(seeder, 'all', {
    identity: { rpps: both.rpps, birthName: e.birthName!, firstName: e.firstNames![0]!, sexe: e.sexe!, birthDate: e.birthDate! },
    situation: { ...both.input.situation, egFiness: demo.eg2 },
  });

  as.anonymous = anonymousSession(app);
  as.professional = await sessionFor(app, db, `8${a.rpps}`);
  as.professionalOther = await sessionFor(app, db, `8${inEg2.rpps}`);
  as.franceconnect = await franceConnectSession(app, 'fc-le-goff');
  as.franceconnectOther = await franceConnectSession(app, 'fc-dubois');
  as.operator = operator;
  as.rl = await sessionFor(app, db, demo.idnps.rl);
  as.mandataire = await sessionFor(app, db, demo.idnps.mandataire);
  as.gestEjA = await sessionFor(app, db, demo.idnps.gestionnaireEj);
  as.gestEgA = await sessionFor(app, db, demo.idnps.gestionnaireEg);
  as.gestEjB = await sessionFor(app, db, gestEjBIdnps);
  const keys = app.auth.apiKeys;
  as.machine = machineSession(app, (await keys.create({ name: 'Toutes portées', scopes: Object.keys(apiScopes), national: true })).key);
  as.machineA = machineSession(app, (await keys.create({ name: 'SI RH de A', scopes: ['registrations:bulk'], ejFiness: demo.ej })).key);
  as.machineB = machineSession(app, (await keys.create({ name: 'SI RH de B', scopes: ['registrations:bulk'], ejFiness: demo.otherEj })).key);
  const other = await keys.create({ name: 'Import FINESS', scopes: ['structures:import'] });
  as.machineOther = machineSession(app, other.key);

  // Objects of structure A that the rows aim at.
  const draft = await as.gestEjA.send('POST', '/api/register/drafts');
  expect(draft.statusCode, draft.body).toBe(201);
  expect((await as.gestEjA.send('PUT', `/api/register/drafts/${draft.json().id}/etat-civil`, etatCivil({ birthName: draftSecret }))).statusCode).toBe(200);
  const draftEgA = await as.gestEgA.send('POST', '/api/register/drafts');
  expect(draftEgA.statusCode, draftEgA.body).toBe(201);
  const file = multipart({ ejFiness: demo.ej, mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'e.csv', content: toCsv([validRow(7002, demo.eg1)]), type: 'text/csv' } });
  const imported = await as.gestEjA.send('POST', '/api/bulk-imports', file.payload, file.headers);
  expect(imported.statusCode, imported.body).toBe(202);
  // No worker in this app: run the batch as the job would, so the report has its rows.
  await createBulkImportService({ db, clock, config }).processBatch(imported.json().id);
  const change = await as.professional.send('POST', '/api/my-record/contact-changes', { kind: 'email', value: 'nouvelle@exemple.fr' });
  expect(change.statusCode, change.body).toBe(201);
  const request = (eg: string, i: number) => ({
    contact: { email: `prereg${i}@exemple.fr`, mobile: `06${String(70_000_000 + i)}` },
    situation: { egFiness: eg, professionCode: '313', roleCode: 'GENR11', startDate: '2026-11-02' },
    termsAccepted: true,
  });
  const requestDraft = await as.franceconnect.send('POST', '/api/preregistration/requests', request(demo.eg1, 1));
  expect(requestDraft.statusCode, requestDraft.body).toBe(201);
  const third = await franceConnectSession(app, 'fc-ferreira');
  const pending = (await third.send('POST', '/api/preregistration/requests', request(demo.eg1, 2))).json();
  expect((await third.send('POST', `/api/preregistration/requests/${pending.id}/submit`)).statusCode).toBe(200);
  const fourth = await franceConnectSession(app, 'fc-dupont');
  const pendingEg2 = (await fourth.send('POST', '/api/preregistration/requests', request(demo.eg2, 3))).json();
  expect((await fourth.send('POST', `/api/preregistration/requests/${pendingEg2.id}/submit`)).statusCode).toBe(200);

  // A copy of the identity document on A, for the operator's review route.
  await db.transaction().execute(async (trx) => {
    const copy = await postgresFileStore.put(trx, { purpose: 'identity-document', contentType: 'application/pdf', originalName: 'cni.pdf', content: pdf(), createdBy: 'test' }, clock.now());
    await trx.updateTable('person').set({ identityDocumentId: copy.id }).where('rpps', '=', a.rpps).execute();
  });
  const filed = await as.anonymous.send('POST', '/api/support/requests', {
    audience: 'gestionnaire',
    topic: 'enregistrement',
    name: 'Demandeur Test',
    email: supportSecret,
    subject: 'Question de test',
    message: 'Une question assez longue pour être acceptée.',
  });
  expect(filed.statusCode, filed.body).toBe(201);
  targets = {
    supportRequest: (await db.selectFrom('supportRequest').select('id').executeTakeFirstOrThrow()).id,
    rppsA: a.rpps,
    situationA: a.situationId,
    rppsEg2: inEg2.rpps,
    situationEg2: inEg2.situationId,
    identityA: { rpps: a.rpps, birthName: a.input.etatCivil.birthName!, firstName: a.input.etatCivil.firstNames![0]!, sexe: a.input.etatCivil.sexe!, birthDate: a.input.etatCivil.birthDate! },
    birthNameEg2: inEg2.input.etatCivil.birthName!,
    rppsBoth: both.rpps,
    situationBothEg2: bothEg2.situationId,
    draftEgA: draftEgA.json().id,
    habEg1: (await db.selectFrom('habilitation').select('id').where('idnps', '=', demo.idnps.gestionnaireEg).executeTakeFirstOrThrow()).id,
    draftA: draft.json().id,
    importA: imported.json().id,
    contactChangeA: change.json().id,
    requestDraft: requestDraft.json().id,
    requestPendingA: pending.id,
    requestPendingEg2: pendingEg2.id,
    apiKeyId: other.apiKey.id,
  };
}, 120_000);
afterAll(() => t?.close());

describe('permission matrix of every non-public route', () => {
  it('has a row for every non-public route, no row for a route that does not exist, and lists the public routes', () => {
    const nonPublic = t.app.declaredRoutes.filter((r) => r.policy !== undefined && r.policy !== 'public');
    for (const r of nonPublic) expect(isRoutePolicy(r.policy), `${r.method} ${r.url}`).toBe(true);
    const mine = nonPublic.filter((r) => !coveredElsewhere.some((c) => r.url.startsWith(c.prefix)));
    expect([...new Set(rows.map((r) => `${r.method} ${r.route}`))].sort()).toEqual(mine.map((r) => `${r.method} ${r.url}`).sort());
    const open = t.app.declaredRoutes.filter((r) => r.policy === 'public' && !r.url.startsWith('/dev-idp/')).map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual([...publicRoutes].sort());
    // The routes tested elsewhere really are (the module's own matrix checks it has them all).
    expect(nonPublic.length - mine.length).toBeGreaterThan(0);
  });

  const policyOf = (row: Row) => t.app.declaredRoutes.find((r) => r.method === row.method && r.url === row.route)?.policy ?? '';
  const call = async (row: Row, actor: ActorKind) => {
    const body = row.body?.(targets);
    return row.method === 'GET' ? as[actor].get(row.url(targets)) : as[actor].send(row.method, row.url(targets), body?.payload, body?.headers);
  };

  for (const row of rows.filter((r) => r.hiddenFrom)) {
    const hidden = row.hiddenFrom!;
    const seenBy = hidden.seenBy ?? row.allowed.find((a) => !hidden.actors.includes(a))!;
    it(`${row.method} ${row.route}${row.on ? ` (${row.on})` : ''}: what is hidden from ${hidden.actors.join(', ')} is shown to ${seenBy}`, async () => {
      const res = await call(row, seenBy);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain(hidden.text(targets));
    });
  }

  for (const row of rows.filter((r) => r.secret && r.method === 'GET')) {
    it(`${row.method} ${row.route}${row.on ? ` (${row.on})` : ''}: the secret a refusal must not carry is in the allowed answer`, async () => {
      const res = await call(row, row.allowed[0]!);
      expect(res.statusCode).toBe(200);
      expect(res.body, res.body.slice(0, 400)).toContain(row.secret!(targets));
    });
  }

  for (const row of rows) {
    for (const actor of actorKinds) {
      const allowed = row.allowed.includes(actor);
      // Allowed mutations are exercised (with their effects) by the modules' own tests.
      if (allowed && row.method !== 'GET') continue;
      it(`${row.method} ${row.route}${row.on ? ` (${row.on})` : ''} as ${actor} → ${allowed ? 'allowed' : 'refused'}`, async () => {
        const before = row.method === 'GET' ? undefined : await fingerprint(t.database.db);
        const res = await call(row, actor);
        if (allowed) {
          expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
          if (row.hiddenFrom?.actors.includes(actor)) expect(res.body).not.toContain(row.hiddenFrom.text(targets));
          return;
        }
        expect(expectedRefusal(row, policyOf(row), actor), `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
        expect(isProblem(res), res.body.slice(0, 300)).toBe(true);
        if (row.secret) expect(res.body).not.toContain(row.secret(targets));
        if (before !== undefined) expect(await fingerprint(t.database.db), 'a refused call changed the database').toBe(before);
      });
    }
  }
});

describe('a body that points into another structure', () => {
  const eg = (egFiness: string) => ({ egFiness, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-02' });
  const cases: Array<{ name: string; actor: ActorKind; method: 'POST' | 'PUT' | 'PATCH'; url: () => string; body: () => { payload: unknown; headers?: Record<string, string> } }> = [
    { name: 'EG gestionnaire moves a situation of his EG to EG 2', actor: 'gestEgA', method: 'PATCH', url: () => `/api/register/situations/${targets.situationA}`, body: () => ({ payload: { egFiness: demo.eg2 } }) },
    { name: 'gestionnaire of A moves a situation to an EG of B', actor: 'gestEjA', method: 'PATCH', url: () => `/api/register/situations/${targets.situationA}`, body: () => ({ payload: { egFiness: demo.otherEjEg } }) },
    { name: 'gestionnaire of A adds a situation in an EG of B', actor: 'gestEjA', method: 'POST', url: () => '/api/register/situations', body: () => ({ payload: { identity: targets.identityA, situation: eg(demo.otherEjEg) } }) },
    { name: 'EG gestionnaire puts EG 2 in his own draft', actor: 'gestEgA', method: 'PUT', url: () => `/api/register/drafts/${targets.draftEgA}/situation`, body: () => ({ payload: eg(demo.eg2) }) },
    { name: 'RL of A widens a habilitation of A to an EG of B', actor: 'rl', method: 'PATCH', url: () => `/api/onboarding/habilitations/${targets.habEg1}`, body: () => ({ payload: { scope: 'eg', egFiness: [demo.eg1, demo.otherEjEg] } }) },
    {
      name: 'mandataire of A habilitates on A for an EG of B',
      actor: 'mandataire',
      method: 'POST',
      url: () => `/api/onboarding/entities/${demo.ej}/habilitations`,
      body: () => {
        const f = multipart(habilitationFields('810001234563', { scope: 'eg', egFiness: demo.otherEjEg }), { attestation: { name: 'a.pdf', content: pdf() } });
        return { payload: f.payload, headers: f.headers };
      },
    },
    {
      name: 'gestionnaire of B imports, into B, a row for an EG of A',
      actor: 'gestEjB',
      method: 'POST',
      url: () => '/api/bulk-imports',
      body: () => {
        const f = multipart({ ejFiness: demo.otherEj, mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'e.csv', content: toCsv([validRow(7003, demo.eg1)]), type: 'text/csv' } });
        return { payload: f.payload, headers: f.headers };
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: refused, nothing changes`, async () => {
      const before = await fingerprint(t.database.db);
      const body = c.body();
      const res = await as[c.actor].send(c.method, c.url(), body.payload, body.headers);
      expect([403, 404, 422], `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
      expect(isProblem(res)).toBe(true);
      expect(await fingerprint(t.database.db)).toBe(before);
    });
  }

  it('the database digest does see a change (the checks above can fail)', async () => {
    const before = await fingerprint(t.database.db);
    const res = await as.gestEjA.send('PUT', `/api/register/drafts/${targets.draftA}/contact`, { email: 'vrai@exemple.fr', mobile: '0611111111' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await fingerprint(t.database.db)).not.toBe(before);
  });
});

describe('allowed mutations get past authorization', () => {
  // Run last, on the same targets; their effects are tested by the modules' own tests.
  for (const [row, actor] of allowedMutations(rows)) {
    it(`${row.method} ${row.route}${row.on ? ` (${row.on})` : ''} as ${actor}`, async () => {
      const body = row.body?.(targets);
      const res = await as[actor].send(row.method as 'POST', row.url(targets), body?.payload, body?.headers);
      expect(pastAuthorization, `${res.statusCode} ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    });
  }
});
