import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { postgresFileStore } from '../../files/store.ts';
import { createIdentityDocuments } from './identity-document.ts';
import { fixedClock } from '../../../../tests/support/db.ts';
import { isValidRpps } from '../../identifiers.ts';
import { createDirectoryPublication } from '../directory/publication.ts';
import { demo, multipart, pdf, sessionFor, type Session } from '../onboarding/testing.ts';

/**
 * The register over HTTP (issue 6): the wizard step by step, scope, identity of another
 * structure's professional, 422 per field with nothing written.
 */
const base = '/api/register';
let t: TestApp;
let gEg: Session; // gestionnaire of EG 690800206 only
let gEj: Session; // gestionnaire of the whole EJ 690800123
let professional: Session;
let operator: Session;
let n = 0;

const etatCivil = (over: Record<string, unknown> = {}) => ({
  civilite: 'MME',
  sexe: 'F',
  birthName: 'Rivière',
  usageName: '',
  firstNames: ['Chloé', 'Anne'],
  birthDate: '1990-04-12',
  birthCountryCode: '99100',
  birthCommuneCode: '69123',
  ...over,
});
const contact = (i: number) => ({ email: `web${i}@exemple.fr`, mobile: `06${String(40_000_000 + i)}` });
const situation = (over: Record<string, unknown> = {}) => ({ egFiness: demo.eg1, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-02', ...over });

async function counts() {
  const c = async (table: 'person' | 'situation' | 'registerEvent' | 'mailMessage') =>
    Number((await t.database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { persons: await c('person'), situations: await c('situation'), events: await c('registerEvent') };
}

/** A complete wizard; returns the draft id and the submission response. */
async function registerThroughWizard(who: Session, ec: Record<string, unknown>, sit: Record<string, unknown> = situation()) {
  const i = ++n;
  const draft = await who.send('POST', `${base}/drafts`);
  expect(draft.statusCode, draft.body).toBe(201);
  const id = draft.json().id as string;
  const steps = [
    await who.send('PUT', `${base}/drafts/${id}/etat-civil`, ec),
    await who.send('PUT', `${base}/drafts/${id}/contact`, contact(i)),
    await who.send('PUT', `${base}/drafts/${id}/situation`, sit),
    await who.send('PUT', `${base}/drafts/${id}/declarations`, { accurateAndInformed: true, metInPerson: true }),
  ];
  for (const s of steps) expect(s.statusCode, s.body).toBe(200);
  const form = multipart({}, { identityDocument: { name: 'cni.pdf', content: pdf() } });
  const doc = await who.send('PUT', `${base}/drafts/${id}/identity-document`, form.payload, form.headers);
  expect(doc.statusCode, doc.body).toBe(200);
  const submitted = await who.send('POST', `${base}/drafts/${id}/submit`, {});
  return { id, submitted };
}

beforeAll(async () => {
  t = await createTestApp();
  gEg = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEg);
  gEj = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
  professional = await sessionFor(t.app, t.database.db, demo.idnps.professional);
  operator = await sessionFor(t.app, t.database.db, demo.idnps.operator);
});
afterAll(() => t?.close());

describe('the registration wizard', () => {
  it('registers a professional step by step; the draft resumes; the number is allocated once', async () => {
    const draft = await gEg.send('POST', `${base}/drafts`);
    const id = draft.json().id as string;
    const step1 = await gEg.send('PUT', `${base}/drafts/${id}/etat-civil`, etatCivil());
    expect(step1.statusCode, step1.body).toBe(200);
    expect(step1.json().duplicates).toEqual([]);
    // Resumed later (another tab, the next day): the saved step is there.
    const resumed = await gEg.get(`${base}/drafts/${id}`);
    expect(resumed.json()).toMatchObject({ completedSteps: ['etat-civil'], etatCivil: { birthName: 'Rivière' } });
    expect((await gEg.get(`${base}/drafts`)).json().map((d: { id: string }) => d.id)).toContain(id);
    // It belongs to the structure: the EJ-wide gestionnaire, whose scope covers EG 1, sees it too
    // (another structure does not: tests/permissions/second-structure.e2e.test.ts).
    expect((await gEj.get(`${base}/drafts/${id}`)).statusCode).toBe(200);

    await gEg.send('PUT', `${base}/drafts/${id}/contact`, contact(900));
    await gEg.send('PUT', `${base}/drafts/${id}/situation`, situation());
    await gEg.send('PUT', `${base}/drafts/${id}/declarations`, { accurateAndInformed: true, metInPerson: true });
    const early = await gEg.send('POST', `${base}/drafts/${id}/submit`, {});
    expect(early.statusCode).toBe(422);
    expect(early.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/body/identityDocument']);

    const form = multipart({}, { identityDocument: { name: 'cni.png', content: Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]) } });
    expect((await gEg.send('PUT', `${base}/drafts/${id}/identity-document`, form.payload, form.headers)).statusCode).toBe(200);

    const [a, b] = await Promise.all([gEg.send('POST', `${base}/drafts/${id}/submit`, {}), gEg.send('POST', `${base}/drafts/${id}/submit`, {})]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    const rpps = a.json().rpps as string;
    expect(isValidRpps(rpps)).toBe(true);
    expect(b.json().rpps).toBe(rpps);
    // The receipt's time is the server's, as recorded (the test app's clock), the same for the twin.
    expect(a.json().registeredAt).toBe('2026-11-23T10:00:00.000Z');
    expect(b.json().registeredAt).toBe(a.json().registeredAt);
    expect(await t.database.db.selectFrom('person').select('id').where('rpps', '=', rpps).execute()).toHaveLength(1);

    // The draft no longer holds personal data; the person keeps the ID document.
    const after = (await gEg.get(`${base}/drafts/${id}`)).json();
    expect(after).toMatchObject({ rpps, etatCivil: null, contact: null, situation: null, submittedAt: a.json().registeredAt });
    // Submitted again later (the page reloaded): the same number and time.
    expect((await gEg.send('POST', `${base}/drafts/${id}/submit`, {})).json()).toMatchObject({ rpps, registeredAt: a.json().registeredAt });
    const person = await t.database.db.selectFrom('person').select(['identityDocumentId', 'identityStatus']).where('rpps', '=', rpps).executeTakeFirstOrThrow();
    expect(person.identityDocumentId).not.toBeNull();
    expect(person.identityStatus).toBe('to_verify');
    expect((await gEg.send('PUT', `${base}/drafts/${id}/contact`, contact(901))).statusCode).toBe(409);

    const list = await gEg.get(`${base}/professionals?q=riviere`);
    // Exercise names: the birth name and first first name as typed, accents kept (issue 16); the état civil is normalized.
    expect(list.json().items).toEqual([expect.objectContaining({ rpps, exerciseLastName: 'Rivière', exerciseFirstName: 'Chloé', status: 'active' })]);
    const page = await gEg.get(`${base}/professionals/${rpps}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ rpps, etatCivil: { birthName: 'RIVIERE' }, contact: { email: 'web900@exemple.fr' } });
  });

  it('answers 422 naming the field, in French, on every step, and writes nothing', async () => {
    const id = (await gEg.send('POST', `${base}/drafts`)).json().id as string;
    const valid = etatCivil({ birthName: 'Valide', birthDate: '1991-01-01' });
    expect((await gEg.send('PUT', `${base}/drafts/${id}/etat-civil`, valid)).statusCode).toBe(200);
    const before = await counts();
    const cases: Array<[string, unknown, string[]]> = [
      ['etat-civil', { ...etatCivil(), birthName: '', firstNames: [] }, ['/body/birthName', '/body/firstNames']],
      ['etat-civil', etatCivil({ birthDate: '2030-01-01' }), ['/body/birthDate']],
      ['etat-civil', etatCivil({ birthDate: '12/04/1990' }), ['/body/birthDate']],
      ['etat-civil', etatCivil({ birthName: 'R2D2' }), ['/body/birthName']],
      ['etat-civil', etatCivil({ birthCommuneCode: null }), ['/body/birthCommuneCode']],
      ['etat-civil', etatCivil({ sexe: 'X', civilite: 'ZZ' }), ['/body/civilite', '/body/sexe']],
      ['contact', { email: 'pas-une-adresse', mobile: '0123' }, ['/body/email', '/body/mobile']],
      ['contact', { email: null, mobile: null }, ['/body/email', '/body/mobile']],
      ['situation', situation({ modeCode: 'L' }), ['/body/modeCode']],
      ['situation', situation({ professionCode: '999', roleCode: 'GENR99' }), ['/body/professionCode', '/body/roleCode']],
      ['situation', situation({ professionCode: '318' }), ['/body/professionCode']],
      ['situation', situation({ startDate: '' }), ['/body/startDate']],
      ['declarations', { accurateAndInformed: true, metInPerson: false }, ['/body/metInPerson']],
      ['declarations', {}, ['/body/accurateAndInformed', '/body/metInPerson']],
    ];
    for (const [step, body, pointers] of cases) {
      const res = await gEg.send('PUT', `${base}/drafts/${id}/${step}`, body);
      expect(res.statusCode, `${step} ${JSON.stringify(body)}: ${res.body}`).toBe(422);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().type).toBe('urn:rpps-plus:problem:register-invalid');
      expect(res.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([...pointers].sort());
      for (const e of res.json().errors) expect(e.detail).toMatch(/[a-zé]/);
    }
    // An e-mail already used by another person.
    await registerThroughWizard(gEg, etatCivil({ birthName: 'Usage', firstNames: ['Mail'], birthDate: '1980-01-01' }));
    const used = await gEg.send('PUT', `${base}/drafts/${id}/contact`, contact(n));
    expect(used.statusCode).toBe(422);
    expect(used.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/email', '/body/mobile']);
    expect(used.body).not.toContain('USAGE');

    const draft = (await gEg.get(`${base}/drafts/${id}`)).json();
    expect(draft.completedSteps).toEqual(['etat-civil']);
    expect(draft.etatCivil).toEqual(valid);
    const afterAll = await counts();
    expect(afterAll.persons).toBe(before.persons + 1);
  });

  it('stops a likely duplicate with the candidates (409) and lets the gestionnaire declare otherwise', async () => {
    const first = await registerThroughWizard(gEj, etatCivil({ birthName: 'Lemaître', firstNames: ['Hélène'], birthDate: '1975-03-03' }), situation({ egFiness: demo.eg2 }));
    expect(first.submitted.statusCode, first.submitted.body).toBe(201);
    const rpps = first.submitted.json().rpps as string;
    // The EJ-wide gestionnaire sees the person of EG 2: the candidate is named.
    const inScope = await registerThroughWizard(gEj, etatCivil({ birthName: 'LEMAITRE', firstNames: ['Helene', 'Marie'], birthDate: '1975-03-03' }), situation({ egFiness: demo.eg2 }));
    expect(inScope.submitted.statusCode).toBe(409);
    expect(inScope.submitted.json().type).toBe('urn:rpps-plus:problem:duplicate-person');
    expect(inScope.submitted.json().candidates).toEqual([{ inScope: true, rpps, exerciseLastName: 'Lemaître', exerciseFirstName: 'Hélène', birthYear: 1975 }]);
    // Nothing of the situation or contact leaks.
    expect(inScope.submitted.body).not.toContain(demo.eg2);
    expect(inScope.submitted.body).not.toContain('@');
    const declared = await gEj.send('POST', `${base}/drafts/${inScope.id}/submit`, { notDuplicateOf: [rpps] });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(declared.json().rpps).not.toBe(rpps);

    // The EG 1 gestionnaire does not see EG 2: a close identity, named by nothing (issue 15).
    const { id, submitted } = await registerThroughWizard(gEg, etatCivil({ birthName: 'LEMAITRE', firstNames: ['Helene', 'Claire'], birthDate: '1975-03-03' }));
    expect(submitted.statusCode).toBe(409);
    expect(submitted.json().candidates).toEqual([
      { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null },
      { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null },
    ]);
    expect(submitted.body).not.toContain(rpps);
    expect(submitted.body).not.toContain('1975');
    const acknowledged = await gEg.send('POST', `${base}/drafts/${id}/submit`, { outOfScopeAcknowledged: true });
    expect(acknowledged.statusCode, acknowledged.body).toBe(201);
    const person = await t.database.db.selectFrom('person').select(['identityStatus', 'identityCheckReasons']).where('rpps', '=', acknowledged.json().rpps).executeTakeFirstOrThrow();
    expect(person).toEqual({ identityStatus: 'to_review', identityCheckReasons: ['possible-duplicate'] });
  });
});

describe('scope', () => {
  let rppsInEg2: string;
  let situationInEg2: string;
  beforeAll(async () => {
    const { submitted } = await registerThroughWizard(gEj, etatCivil({ birthName: 'Autre', firstNames: ['Structure'], birthDate: '1970-07-07', civilite: 'M', sexe: 'M' }), situation({ egFiness: demo.eg2 }));
    rppsInEg2 = submitted.json().rpps;
    situationInEg2 = (await gEj.get(`${base}/professionals/${rppsInEg2}`)).json().situations[0].id;
  });

  it('a gestionnaire cannot register into an EG outside his scope (403, nothing saved)', async () => {
    const id = (await gEg.send('POST', `${base}/drafts`)).json().id as string;
    await gEg.send('PUT', `${base}/drafts/${id}/etat-civil`, etatCivil());
    for (const eg of [demo.eg2, demo.otherEjEg]) {
      const res = await gEg.send('PUT', `${base}/drafts/${id}/situation`, situation({ egFiness: eg }));
      expect(res.statusCode).toBe(403);
      expect(res.json().type).toBe('urn:rpps-plus:problem:eg-out-of-scope');
    }
    expect((await gEg.get(`${base}/drafts/${id}`)).json().situation).toBeNull();
    const egs = (await gEg.get(`${base}/establishments?q=`)).json().items.map((e: { finess: string }) => e.finess);
    expect(egs).toEqual([demo.eg1]);
  });

  it('cannot find, open or modify a situation outside his scope (404, no data)', async () => {
    expect((await gEg.get(`${base}/professionals?q=autre`)).json()).toMatchObject({ items: [], total: 0 });
    expect((await gEg.get(`${base}/professionals?q=${rppsInEg2}`)).json().items).toEqual([]);
    const page = await gEg.get(`${base}/professionals/${rppsInEg2}`);
    expect(page.statusCode).toBe(404);
    expect(page.body).not.toContain('AUTRE');
    for (const res of [
      await gEg.send('PATCH', `${base}/situations/${situationInEg2}`, { roleCode: 'GENR08' }),
      await gEg.send('POST', `${base}/situations/${situationInEg2}/end`, { endDate: '2026-11-20', reason: 'departure' }),
      await gEg.send('POST', `${base}/situations/${situationInEg2}/scheduled-end`, { endDate: '2026-12-20', reason: 'departure' }),
      await gEg.send('DELETE', `${base}/situations/${situationInEg2}`),
    ]) {
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(rppsInEg2);
    }
    const s = await t.database.db.selectFrom('situation').select(['status', 'roleCode']).where('id', '=', situationInEg2).executeTakeFirstOrThrow();
    expect(s).toEqual({ status: 'active', roleCode: 'GENR11' });
  });

  it('finds a person of another structure by identity: only the RPPS number, then adds a situation', async () => {
    const probe = { rpps: rppsInEg2, birthName: 'autre', firstName: 'Structure', sexe: 'M', birthDate: '1970-07-07' };
    const found = await gEg.send('POST', `${base}/identify`, probe);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({ rpps: rppsInEg2 });
    const wrong = await gEg.send('POST', `${base}/identify`, { ...probe, birthDate: '1970-07-08' });
    expect(wrong.statusCode).toBe(404);
    const added = await gEg.send('POST', `${base}/situations`, { identity: probe, situation: situation({ roleCode: 'GENR08' }) });
    expect(added.statusCode, added.body).toBe(201);
    // Now his: only the situation of his EG, not the other structure's.
    const page = (await gEg.get(`${base}/professionals/${rppsInEg2}`)).json();
    expect(page.situations.map((s: { egFiness: string }) => s.egFiness)).toEqual([demo.eg1]);
  });

  it('a signed-in person who is not a gestionnaire gets 403, an anonymous caller 401', async () => {
    expect((await professional.send('POST', `${base}/drafts`)).statusCode).toBe(403);
    expect((await professional.get(`${base}/professionals`)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `${base}/professionals` })).statusCode).toBe(401);
  });
});

describe('situations over time', () => {
  it('modifies, schedules an end, ends and deletes situations of his scope', async () => {
    const { submitted } = await registerThroughWizard(gEg, etatCivil({ birthName: 'Temps', firstNames: ['Passe'], birthDate: '1988-08-08' }));
    const rpps = submitted.json().rpps as string;
    const sid = (await gEg.get(`${base}/professionals/${rpps}`)).json().situations[0].id as string;
    const patched = await gEg.send('PATCH', `${base}/situations/${sid}`, { roleCode: 'GENR09' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().roleCode).toBe('GENR09');
    const bad = await gEg.send('POST', `${base}/situations/${sid}/scheduled-end`, { endDate: '2026-11-01', reason: 'vacances' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['/body/endDate', '/body/reason']);
    const scheduled = await gEg.send('POST', `${base}/situations/${sid}/scheduled-end`, { endDate: '2026-12-31', reason: 'interim-end' });
    expect(scheduled.json()).toMatchObject({ status: 'active', endDate: '2026-12-31' });
    const ended = await gEg.send('POST', `${base}/situations/${sid}/end`, { endDate: '2026-11-23', reason: 'departure' });
    expect(ended.json()).toMatchObject({ status: 'ended', endDate: '2026-11-23', endReason: 'departure' });
    expect((await gEg.get(`${base}/professionals?status=active&q=${rpps}`)).json().items).toEqual([]);
    expect((await gEg.send('DELETE', `${base}/situations/${sid}`)).json().status).toBe('deleted');
    // The person keeps his number.
    expect(await t.database.db.selectFrom('person').select('rpps').where('rpps', '=', rpps).executeTakeFirst()).toEqual({ rpps });
  });
});

describe('identity review (ANS operator)', () => {
  it('lists identities to review and rejects one: the directory is told through a register event', async () => {
    const { submitted } = await registerThroughWizard(gEg, etatCivil({ birthName: 'Douteux', firstNames: ['Cas'], birthDate: '1985-05-05' }));
    const rpps = submitted.json().rpps as string;
    const publication = createDirectoryPublication({ db: t.database.db, clock: fixedClock('2026-11-23T10:00:00Z') });
    await publication.publishPending();
    const entry = () => t.database.db.selectFrom('directoryPractitioner').select(['withdrawn', 'family']).where('rpps', '=', rpps).executeTakeFirst();
    expect(await entry()).toEqual({ withdrawn: false, family: 'Douteux' });
    await t.database.db.updateTable('person').set({ identityStatus: 'to_review', identityCheckReasons: ['commune-not-at-birth-date'] }).where('rpps', '=', rpps).execute();
    expect((await gEg.get(`${base}/identity-reviews`)).statusCode).toBe(403);
    const list = await operator.get(`${base}/identity-reviews`);
    expect(list.statusCode, list.body).toBe(200);
    // (With the identity registered earlier despite an out-of-scope candidate.)
    expect(list.json().items).toContainEqual(expect.objectContaining({ rpps, reasons: [{ code: 'commune-not-at-birth-date', label: expect.any(String) }], hasIdentityDocument: true, birthCommuneName: expect.stringMatching(/^[A-ZÉ]/) }));
    const noReason = await operator.send('POST', `${base}/identity-reviews/${rpps}/decision`, { decision: 'rejected' });
    expect(noReason.statusCode).toBe(422);
    const rejected = await operator.send('POST', `${base}/identity-reviews/${rpps}/decision`, { decision: 'rejected', reason: 'Pièce d’identité illisible' });
    expect(rejected.json()).toEqual({ rpps, identityStatus: 'rejected' });
    const events = await t.database.db.selectFrom('registerEvent').innerJoin('person', 'person.id', 'registerEvent.personId').select('type').where('person.rpps', '=', rpps).execute();
    expect(events.map((e) => e.type)).toContain('person.identity-rejected');
    // The directory withdraws the entry (seeds: identities that fail are removed).
    await publication.publishPending();
    expect(await entry()).toEqual({ withdrawn: true, family: null });
    expect((await operator.send('POST', `${base}/identity-reviews/${rpps}/decision`, { decision: 'verified' })).statusCode).toBe(409);
  });

  it('the operator opens the copy of the identity document (audited); it is deleted once confirmed, or after the retention period (issue 15)', async () => {
    const { submitted } = await registerThroughWizard(gEg, etatCivil({ birthName: 'Copie', firstNames: ['Piece'], birthDate: '1981-01-01' }));
    const rpps = submitted.json().rpps as string;
    await t.database.db.updateTable('person').set({ identityStatus: 'to_review' }).where('rpps', '=', rpps).execute();
    const url = `${base}/identity-reviews/${rpps}/identity-document`;
    expect((await gEg.get(url)).statusCode).toBe(403);
    const opened = await operator.get(url);
    expect([opened.statusCode, opened.headers['content-type'], opened.headers['cache-control']]).toEqual([200, 'application/pdf', 'no-store']);
    expect(opened.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const personId = (await t.database.db.selectFrom('person').select(['id', 'identityDocumentId']).where('rpps', '=', rpps).executeTakeFirstOrThrow());
    const audit = await t.database.db.selectFrom('auditEvent').select('action').where('entityId', '=', personId.id).execute();
    expect(audit.map((a) => a.action)).toContain('person.identity-document-viewed');

    expect((await operator.send('POST', `${base}/identity-reviews/${rpps}/decision`, { decision: 'verified' })).statusCode).toBe(200);
    expect((await operator.get(url)).statusCode).toBe(404);
    expect(await t.database.db.selectFrom('storedFile').select('id').where('id', '=', personId.identityDocumentId!).execute()).toEqual([]);

    // Not confirmed: kept until the retention period (IDENTITY_DOCUMENT_RETENTION_DAYS) is over, then purged by the daily job.
    const other = (await registerThroughWizard(gEg, etatCivil({ birthName: 'Retenue', firstNames: ['Piece'], birthDate: '1982-02-02' }))).submitted.json().rpps as string;
    const days = t.database.config.identityDocumentRetentionDays;
    const at = (d: number) => ({ now: () => new Date(new Date('2026-11-23T10:00:00Z').getTime() + d * 86_400_000) });
    const purge = (d: number) => createIdentityDocuments({ db: t.database.db, clock: at(d), files: postgresFileStore, retentionDays: days }).purgeExpired();
    const kept = async () => (await t.database.db.selectFrom('person').select('identityDocumentId').where('rpps', '=', other).executeTakeFirstOrThrow()).identityDocumentId;
    await purge(days - 1);
    expect(await kept()).not.toBeNull();
    expect(await purge(days + 1)).toBeGreaterThanOrEqual(1);
    expect(await kept()).toBeNull();
  });
});
