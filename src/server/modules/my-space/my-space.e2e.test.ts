import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwoStructures, type TwoStructures } from '../../../../tests/support/two-structures.ts';
import { createBulkImportService } from '../bulk-import/service.ts';
import { toCsv, validRow } from '../bulk-import/testing.ts';
import { seedPendingRequests } from '../dashboard/testing.ts';
import { anonymousSession, demo, multipart, sessionFor, type Session } from '../onboarding/testing.ts';
import { createRegisterService } from '../register/service.ts';
import { actor as seeder, distinctRegistration } from '../register/testing.ts';
import type { TasksView } from './schemas.ts';

/**
 * GET /api/me/tasks ("Mon espace", issue 17): each role's counts, and every count of a
 * structure's work follows the caller's current scope — two structures, A (`demo.ej`) and B
 * (`demo.otherEj`), each with its gestionnaire.
 */
const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
let t: TwoStructures;
let operator: Session;
let rlA: Session;
let gestEjA: Session;
let gestEgA: Session;
let gestEjB: Session;

const tasks = async (s: Session): Promise<TasksView> => {
  const res = await s.get('/api/me/tasks');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const situationIn = (egFiness: string) => ({ egFiness, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-02' });

beforeAll(async () => {
  t = await startTwoStructures(clock);
  ({ operator, rlA, gestEjA, gestEjB } = t);
  gestEgA = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEg);
}, 120_000);
afterAll(() => t?.close());

describe('GET /api/me/tasks', () => {
  it('is for signed-in people only', async () => {
    expect((await anonymousSession(t.app).get('/api/me/tasks')).statusCode).toBe(401);
  });

  it('a gestionnaire counts his structure’s requests, drafts, professionals and imports; structure B counts none of them', async () => {
    const db = t.database.db;
    const [a0, eg0, b0] = await Promise.all([tasks(gestEjA), tasks(gestEgA), tasks(gestEjB)]);
    expect(a0.register).not.toBeNull();
    expect(b0.register).not.toBeNull();

    // Pre-registrations: two for EG 1 of A, one for EG 2 of A, one for B.
    await seedPendingRequests(db, clock, [{ egFiness: demo.eg1, daysAgo: 1 }, { egFiness: demo.eg1, daysAgo: 3 }, { egFiness: demo.eg2, daysAgo: 2 }, { egFiness: demo.otherEjEg, daysAgo: 1 }], 500);
    // A draft of A, with a name typed at step 1.
    const draft = await gestEjA.send('POST', '/api/register/drafts', {});
    expect(draft.statusCode, draft.body).toBe(201);
    const draftId: string = draft.json().id;
    const ec = distinctRegistration(601).etatCivil;
    expect((await gestEjA.send('PUT', `/api/register/drafts/${draftId}/etat-civil`, ec)).statusCode).toBe(200);
    // A professional registered in EG 1 of A.
    await createRegisterService({ db, clock, config: t.database.config }).registerProfessional(seeder, 'all', distinctRegistration(602, { situation: situationIn(demo.eg1) }));
    // An import of A.
    const file = multipart({ ejFiness: demo.ej, mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe-a.csv', content: toCsv([validRow(7601, demo.eg1)]), type: 'text/csv' } });
    const imported = await gestEjA.send('POST', '/api/bulk-imports', file.payload, file.headers);
    expect(imported.statusCode, imported.body).toBe(202);
    await createBulkImportService({ db, clock, config: t.database.config }).processBatch(imported.json().id);

    const [a, eg, b] = await Promise.all([tasks(gestEjA), tasks(gestEgA), tasks(gestEjB)]);
    expect(a.register!.pendingRequests - a0.register!.pendingRequests).toBe(3);
    expect(eg.register!.pendingRequests - eg0.register!.pendingRequests).toBe(2);
    expect(b.register!.pendingRequests - b0.register!.pendingRequests).toBe(1);

    expect(a.register!.drafts.total - a0.register!.drafts.total).toBe(1);
    expect(a.register!.drafts.latest[0]).toMatchObject({ id: draftId, name: `${ec.firstNames![0]} ${ec.birthName}`, completedSteps: 1 });
    expect(b.register!.drafts.total).toBe(b0.register!.drafts.total);
    // The EJ-wide draft may end in EG 2: the EG 1 gestionnaire does not see it.
    expect(eg.register!.drafts.total).toBe(eg0.register!.drafts.total);
    for (const other of [b, eg]) expect(JSON.stringify(other)).not.toContain(draftId);

    // The registered professional and the imported row, in A only.
    expect(a.register!.activeProfessionals - a0.register!.activeProfessionals).toBe(2);
    expect(eg.register!.activeProfessionals - eg0.register!.activeProfessionals).toBe(2);
    expect(b.register!.activeProfessionals).toBe(b0.register!.activeProfessionals);

    expect(a.register!.imports.total - a0.register!.imports.total).toBe(1);
    expect(a.register!.imports.latest[0]).toMatchObject({ id: imported.json().id, fileName: 'equipe-a.csv', status: 'done', rows: 1, imported: 1, rejected: 0 });
    expect(b.register!.imports.total).toBe(b0.register!.imports.total);
    expect(JSON.stringify(b)).not.toContain(imported.json().id);

    // The RL of A carries the gestionnaire rights: he sees A's work too, and his structure.
    const rl = await tasks(rlA);
    expect(rl.register!.drafts.latest.map((d) => d.id)).toContain(draftId);
    expect(rl.structures).toEqual([expect.objectContaining({ finess: demo.ej, legalRepresentative: true, contractStatus: 'active', successionPending: false })]);
    expect(rl.structures[0]!.activeHabilitations).toBeGreaterThanOrEqual(1);
    expect(a.structures).toEqual([]);
  });

  it('the operator counts his back-office queues, not a structure’s work', async () => {
    const db = t.database.db;
    const before = await tasks(operator);
    expect(before.register).toBeNull();
    expect(before.operator).not.toBeNull();
    const person = await db.selectFrom('person').select('id').where('identityStatus', '<>', 'to_review').executeTakeFirstOrThrow();
    await db.updateTable('person').set({ identityStatus: 'to_review' }).where('id', '=', person.id).execute();
    const sent = await anonymousSession(t.app).send('POST', '/api/support/requests', { audience: 'gestionnaire', topic: 'import', name: 'Claire Martin', email: 'claire@exemple.fr', subject: 'Import refusé', message: 'Mon fichier est refusé, pourquoi ?' });
    expect(sent.statusCode, sent.body).toBe(201);
    const after = await tasks(operator);
    expect(after.operator!.identitiesToReview - before.operator!.identitiesToReview).toBe(1);
    expect(after.operator!.openSupportRequests - before.operator!.openSupportRequests).toBe(1);
  });

  it('a registered professional sees his record, his e-CPS and his pending changes', async () => {
    const done = await createRegisterService({ db: t.database.db, clock, config: t.database.config }).registerProfessional(seeder, 'all', distinctRegistration(603, { situation: situationIn(demo.eg2) }));
    const pro = await tasks(await sessionFor(t.app, t.database.db, `8${done.rpps}`));
    expect(pro).toMatchObject({ register: null, structures: [], operator: null, preregistration: null, professional: { rpps: done.rpps, activeSituations: 1, pendingContactChanges: 0 } });
    expect(['none', 'invited', 'active']).toContain(pro.professional!.ecps);
  });
});
