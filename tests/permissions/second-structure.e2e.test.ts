import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulkImportService } from '../../src/server/modules/bulk-import/service.ts';
import { toCsv, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { anonymousSession, demo, multipart, pdf, sessionFor, type Session } from '../../src/server/modules/onboarding/testing.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { actor as seeder, distinctRegistration } from '../../src/server/modules/register/testing.ts';
import { gestEjBIdnps, startTwoStructures, type TwoStructures } from '../support/two-structures.ts';

/**
 * Two structures, each with its gestionnaires, set up through the real contract and
 * habilitation flow (issue 15, points 2–4): what structure B may learn about a person of
 * structure A, and what a gestionnaire keeps once his habilitation on A is revoked.
 * - EJ A (`demo.ej`): its RL, its EJ-wide gestionnaire, and G (habilitated on A and on B);
 * - EJ B (`demo.otherEj`): its RL (the "educateur"), an EJ-wide gestionnaire, and G.
 */

const clock = { now: () => new Date('2026-11-23T10:00:00Z') };
const base = '/api/register';
const gIdnps = '810009999012';

let t: TwoStructures;
let rlA: Session;
let gestEjA: Session;
let gestEjB: Session;
let g: Session;
/** Person P of structure A (EG 1), registered by A with his contact. */
let p: { rpps: string; identity: { rpps: string; birthName: string; firstName: string; sexe: string; birthDate: string }; email: string; mobile: string; birthDate: string };

const situationIn = (egFiness: string) => ({ egFiness, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-02' });

beforeAll(async () => {
  t = await startTwoStructures(clock);
  ({ rlA, gestEjA, gestEjB } = t);
  const db = t.database.db;
  await t.habilitate(t.rlB, demo.otherEj, gIdnps, 'g.b@exemple.fr');
  await t.habilitate(rlA, demo.ej, gIdnps, 'g.a@exemple.fr');
  g = await sessionFor(t.app, db, gIdnps);

  const r = distinctRegistration(401, { situation: situationIn(demo.eg1) });
  const done = await createRegisterService({ db, clock, config: t.database.config }).registerProfessional(seeder, 'all', r);
  const e = r.etatCivil;
  p = {
    rpps: done.rpps,
    identity: { rpps: done.rpps, birthName: e.birthName!, firstName: e.firstNames![0]!, sexe: e.sexe!, birthDate: e.birthDate! },
    email: r.contact.email!,
    mobile: r.contact.mobile!,
    birthDate: e.birthDate!,
  };
}, 120_000);
afterAll(() => t?.close());

describe('point 2: drafts and imports belong to the structure, and follow the current scope', () => {
  let draftId: string;
  let importId: string;

  it('a draft started in A is seen and resumed by A, never by B', async () => {
    // G manages two structures: he says which one the draft belongs to.
    const created = await g.send('POST', `${base}/drafts`, { ejFiness: demo.ej });
    expect(created.statusCode, created.body).toBe(201);
    draftId = created.json().id;
    expect((await g.send('PUT', `${base}/drafts/${draftId}/etat-civil`, distinctRegistration(402).etatCivil)).statusCode).toBe(200);

    for (const colleague of [rlA, gestEjA]) {
      expect((await colleague.get(`${base}/drafts`)).json().map((d: { id: string }) => d.id)).toContain(draftId);
      expect((await colleague.get(`${base}/drafts/${draftId}`)).statusCode).toBe(200);
    }
    expect((await gestEjB.get(`${base}/drafts/${draftId}`)).statusCode).toBe(404);
    expect((await gestEjB.get(`${base}/drafts`)).body).not.toContain(draftId);
    expect(created.json().ejFiness).toBe(demo.ej);
    // Without saying which structure, a gestionnaire of two is asked (422, nothing created).
    const ambiguous = await g.send('POST', `${base}/drafts`);
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.json().errors[0].pointer).toBe('/body/ejFiness');

    const file = multipart({ ejFiness: demo.ej, mode: 'commit', declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'e.csv', content: toCsv([validRow(7101, demo.eg1)]), type: 'text/csv' } });
    const imported = await g.send('POST', '/api/bulk-imports', file.payload, file.headers);
    expect(imported.statusCode, imported.body).toBe(202);
    importId = imported.json().id;
    await createBulkImportService({ db: t.database.db, clock, config: t.database.config }).processBatch(importId);
    expect((await g.get(`/api/bulk-imports/${importId}/report.csv`)).statusCode).toBe(200);
  });

  it('once G’s habilitation on A is revoked, he no longer reads, edits, submits or follows anything of A; A does', async () => {
    const hab = await t.database.db.selectFrom('habilitation').select('id').where('idnps', '=', gIdnps).where('ejFiness', '=', demo.ej).executeTakeFirstOrThrow();
    const revoked = await rlA.send('POST', `/api/onboarding/habilitations/${hab.id}/revoke`, { reason: 'Départ de la structure' });
    expect(revoked.statusCode, revoked.body).toBe(200);

    expect((await g.get(`${base}/drafts/${draftId}`)).statusCode).toBe(404);
    expect((await g.get(`${base}/drafts`)).body).not.toContain(draftId);
    expect((await g.send('PUT', `${base}/drafts/${draftId}/contact`, { email: 'intrus@exemple.fr', mobile: '0699887766' })).statusCode).toBe(404);
    expect((await g.send('PUT', `${base}/drafts/${draftId}/declarations`, { accurateAndInformed: true, metInPerson: true })).statusCode).toBe(404);
    // Not into his other structure either.
    expect((await g.send('PUT', `${base}/drafts/${draftId}/situation`, situationIn(demo.otherEjEg))).statusCode).toBe(404);
    expect((await g.send('POST', `${base}/drafts/${draftId}/submit`, {})).statusCode).toBe(404);
    expect((await g.send('DELETE', `${base}/drafts/${draftId}`)).statusCode).toBe(404);
    expect((await g.get(`/api/bulk-imports/${importId}`)).statusCode).toBe(404);
    expect((await g.get(`/api/bulk-imports/${importId}/report.csv`)).statusCode).toBe(404);

    // Handed over: the structure's gestionnaire resumes the draft and follows the import.
    const resumed = await gestEjA.send('PUT', `${base}/drafts/${draftId}/contact`, { email: 'reprise@exemple.fr', mobile: '0611223344' });
    expect(resumed.statusCode).toBe(200);
    // The intruder's writes changed nothing.
    expect(resumed.json().draft).toMatchObject({ contact: { email: 'reprise@exemple.fr' }, declarations: null });
    expect((await gestEjA.get(`/api/bulk-imports/${importId}`)).statusCode).toBe(200);
  });
});

describe('point 3: B learns nothing of a person of A by probing identities', () => {
  const masked = { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null };
  const year = () => p.birthDate.slice(0, 4);

  it('wizard step 1 and the submission name no one outside the scope; acknowledged, the identity goes to ANS review', async () => {
    const draft = (await gestEjB.send('POST', `${base}/drafts`)).json().id as string;
    const exact = distinctRegistration(401).etatCivil;
    const step1 = await gestEjB.send('PUT', `${base}/drafts/${draft}/etat-civil`, exact);
    expect(step1.statusCode, step1.body).toBe(200);
    expect(step1.json().duplicates).toEqual([masked]);
    for (const leak of [p.rpps, p.identity.birthName.toUpperCase(), year()]) expect(step1.body.replace(p.birthDate, '')).not.toContain(leak);

    // A likely (not exact) identity: the registration goes on once acknowledged.
    const close = { ...exact, firstNames: [p.identity.firstName, 'Autre'], birthName: `${p.identity.birthName}e` };
    expect((await gestEjB.send('PUT', `${base}/drafts/${draft}/etat-civil`, close)).json().duplicates).toEqual([masked]);
    await gestEjB.send('PUT', `${base}/drafts/${draft}/contact`, { email: 'proche@exemple.fr', mobile: '0655443322' });
    await gestEjB.send('PUT', `${base}/drafts/${draft}/situation`, situationIn(demo.otherEjEg));
    await gestEjB.send('PUT', `${base}/drafts/${draft}/declarations`, { accurateAndInformed: true, metInPerson: true });
    const doc = multipart({}, { identityDocument: { name: 'cni.pdf', content: pdf() } });
    expect((await gestEjB.send('PUT', `${base}/drafts/${draft}/identity-document`, doc.payload, doc.headers)).statusCode).toBe(200);
    const refused = await gestEjB.send('POST', `${base}/drafts/${draft}/submit`, {});
    expect(refused.statusCode).toBe(409);
    expect(refused.json().candidates).toEqual([masked]);
    expect(refused.body).not.toContain(p.rpps);
    const acknowledged = await gestEjB.send('POST', `${base}/drafts/${draft}/submit`, { outOfScopeAcknowledged: true });
    expect(acknowledged.statusCode, acknowledged.body).toBe(201);
    const person = await t.database.db.selectFrom('person').select('identityStatus').where('rpps', '=', acknowledged.json().rpps).executeTakeFirstOrThrow();
    expect(person.identityStatus).toBe('to_review');
  });

  it('a bulk dry run names no one outside the scope, and every identity check is audited without the état civil', async () => {
    const ec = distinctRegistration(401).etatCivil;
    const rows = [0, 1, 2].map((d) => validRow(7200 + d, demo.otherEjEg, { birthName: ec.birthName!, firstNames: ec.firstNames!.join(', '), sexe: ec.sexe!, civilite: ec.civilite!, birthDate: d === 1 ? p.birthDate : `19${50 + d}-01-0${d + 1}` }));
    const file = multipart({ ejFiness: demo.otherEj, mode: 'dry-run' }, { file: { name: 'sonde.csv', content: toCsv(rows), type: 'text/csv' } });
    const res = await gestEjB.send('POST', '/api/bulk-imports', file.payload, file.headers);
    expect(res.statusCode, res.body).toBe(200);
    // The exact identity: "already registered by another structure", and nothing naming him.
    expect(res.body).toContain('déjà enregistrée au RPPS par une autre structure');
    expect(res.body).not.toContain(p.rpps);

    const account = (await t.database.db.selectFrom('account').select('id').where('idnps', '=', gestEjBIdnps).executeTakeFirstOrThrow()).id;
    const audits = await t.database.db.selectFrom('auditEvent').selectAll().where('actorId', '=', `account:${account}`).where('action', '=', 'identity.check').execute();
    expect(audits.map((a) => (a.after as { kind: string }).kind)).toEqual(expect.arrayContaining(['etat-civil-step', 'bulk-dry-run']));
    expect(audits.find((a) => (a.after as { kind: string }).kind === 'bulk-dry-run')?.after).toMatchObject({ identities: 3, outOfScopeMatches: 1 });
    expect(JSON.stringify(audits)).not.toContain(p.identity.birthName);
    expect(JSON.stringify(audits)).not.toContain(p.birthDate);
  });

  it('a file giving one name with many birth dates (one of them his) is not compared to the register: every row reads the same', async () => {
    const ec = distinctRegistration(401).etatCivil;
    const dates = ['1950-02-01', '1950-02-02', p.birthDate, '1950-02-03', '1950-02-04'];
    const rows = dates.map((birthDate, i) => validRow(7300 + i, demo.otherEjEg, { birthName: ec.birthName!, firstNames: ec.firstNames!.join(', '), sexe: ec.sexe!, civilite: ec.civilite!, birthDate }));
    const file = multipart({ ejFiness: demo.otherEj, mode: 'dry-run' }, { file: { name: 'sonde.csv', content: toCsv(rows), type: 'text/csv' } });
    const res = await gestEjB.send('POST', '/api/bulk-imports', file.payload, file.headers);
    expect(res.statusCode, res.body).toBe(200);
    const details = res.json().report.map((r: { errors: Array<{ detail: string }> }) => r.errors.map((e) => e.detail).join(' | '));
    expect(new Set(details).size, JSON.stringify(details)).toBe(1);
    expect(details[0]).toContain('ne sont pas comparées au répertoire');
  });

  it('a run of failed identifications locks identification for the account (423, in French)', async () => {
    // G (now of B only) tries birth dates one after the other.
    for (let day = 1; day <= 5; day++) {
      const res = await g.send('POST', `${base}/identify`, { ...p.identity, birthDate: `1900-01-0${day}` });
      expect(res.statusCode, res.body).toBe(404);
    }
    const locked = await g.send('POST', `${base}/identify`, p.identity);
    expect(locked.statusCode, locked.body).toBe(423);
    expect(locked.json().type).toBe('urn:rpps-plus:problem:identification-locked');
    expect(locked.json().detail).toMatch(/suspendue/);
    expect(locked.body).not.toContain(p.rpps);
    // Adding a situation looks the identity up too: locked as well.
    expect((await g.send('POST', `${base}/situations`, { identity: p.identity, situation: situationIn(demo.otherEjEg) })).statusCode).toBe(423);
    // Another account is not locked.
    expect((await gestEjB.send('POST', `${base}/identify`, p.identity)).statusCode).toBe(200);
  });
});

describe('point 4: contact data entered by A stay A’s; P is told when B adds a situation', () => {
  let mail: { text: string } | undefined;

  it('B adds a situation to P: B sees the contact masked, A sees it; P gets an e-mail', async () => {
    const added = await gestEjB.send('POST', `${base}/situations`, { identity: p.identity, situation: situationIn(demo.otherEjEg) });
    expect(added.statusCode, added.body).toBe(201);

    const seenByB = await gestEjB.get(`${base}/professionals/${p.rpps}`);
    expect(seenByB.statusCode).toBe(200);
    expect(seenByB.json()).toMatchObject({ contactMasked: true, contact: { email: null, mobile: null } });
    expect(seenByB.body).not.toContain(p.email);
    expect(seenByB.body).not.toContain(p.mobile.slice(-6));
    const seenByA = await gestEjA.get(`${base}/professionals/${p.rpps}`);
    expect(seenByA.json()).toMatchObject({ contactMasked: false, contact: { email: p.email } });

    mail = await t.database.db.selectFrom('mailMessage').select(['text', 'subject']).where('to', '=', p.email).where('dedupeKey', 'like', 'situation-new-structure:%').executeTakeFirst();
    expect(mail?.text).toMatch(/\/signalement\/[A-Za-z0-9_-]+/);
  });

  it('"ce n’est pas moi": the link records the claim (audited) and sends the identity to ANS review', async () => {
    const token = /\/signalement\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    const anonymous = anonymousSession(t.app);
    expect((await anonymous.send('POST', `${base}/situation-reports`, { token: 'x'.repeat(32) })).statusCode).toBe(404);
    const res = await anonymous.send('POST', `${base}/situation-reports`, { token });
    expect(res.statusCode, res.body).toBe(200);
    const person = await t.database.db.selectFrom('person').select(['identityStatus', 'identityCheckReasons']).where('rpps', '=', p.rpps).executeTakeFirstOrThrow();
    expect(person.identityStatus).toBe('to_review');
    expect(person.identityCheckReasons).toContain('situation-disputed');
    expect(await t.database.db.selectFrom('auditEvent').select('id').where('action', '=', 'situation.disputed').execute()).toHaveLength(1);
  });
});
