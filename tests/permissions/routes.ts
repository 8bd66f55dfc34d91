import { toCsv, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { demo, multipart, pdf } from '../../src/server/modules/onboarding/testing.ts';
import { etatCivil } from '../../src/server/modules/register/testing.ts';

/**
 * Who may call each non-public route (tests/permissions/route-matrix.e2e.test.ts): one row per
 * route (several when the target's place matters), as data. The test fails when a registered
 * route has no row, so a new route cannot be added without stating who may call it.
 * Structure A is EJ `demo.ej` (EG 1 and EG 2); structure B is EJ `demo.otherEj`.
 */
export const actorKinds = [
  'anonymous',
  /** Pro Santé Connect, registered professional (person A), no staff role. */
  'professional',
  /** Pro Santé Connect, another registered professional (the person of EG 2), no staff role. */
  'professionalOther',
  /** FranceConnect, owner of the pre-registration requests below. */
  'franceconnect',
  /** FranceConnect, another person. */
  'franceconnectOther',
  'operator',
  /** Représentant légal of EJ A. */
  'rl',
  /** Mandataire of EJ A. */
  'mandataire',
  /** Gestionnaire of the whole EJ A. */
  'gestEjA',
  /** Gestionnaire of EG 1 of EJ A only. */
  'gestEgA',
  /** Gestionnaire of the whole EJ B (another structure). */
  'gestEjB',
  /** National API key with every scope (created explicitly as national by an ANS operator). */
  'machine',
  /** API key whose only scope no route below needs. */
  'machineOther',
  /** `registrations:bulk` key bound to EJ A (the HR software of structure A). */
  'machineA',
  /** `registrations:bulk` key bound to EJ B (another structure's HR software). */
  'machineB',
] as const;
export type ActorKind = (typeof actorKinds)[number];

/** Objects of structure A (and of its people) that the rows aim at. */
export interface Targets {
  /** Person A: registered in EG 1 of EJ A (he is the `professional` actor). */
  rppsA: string;
  situationA: string;
  /** Person registered in EG 2 of EJ A. */
  rppsEg2: string;
  situationEg2: string;
  identityA: { rpps: string; birthName: string; firstName: string; sexe: string; birthDate: string };
  birthNameEg2: string;
  /** Person registered in EG 1 and in EG 2, and the id of his EG 2 situation. */
  rppsBoth: string;
  situationBothEg2: string;
  /** Habilitation of the EG 1 gestionnaire (onboarding). */
  habEg1: string;
  /** Registration draft of the EG 1 gestionnaire. */
  draftEgA: string;
  /** Registration draft of the EJ-wide gestionnaire of A. */
  draftA: string;
  /** Bulk import committed by the EJ-wide gestionnaire of A (rows in EG 1). */
  importA: string;
  /** Contact change asked by person A. */
  contactChangeA: string;
  /** Draft pre-registration request of the FranceConnect user. */
  requestDraft: string;
  /** Pending pre-registration request of a third FranceConnect user, for EG 1. */
  requestPendingA: string;
  /** Pending pre-registration request of a fourth FranceConnect user, for EG 2. */
  requestPendingEg2: string;
  apiKeyId: string;
  /** Support request filed anonymously through the contact form. */
  supportRequest: string;
}

export interface Row {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  route: string;
  url: (t: Targets) => string;
  body?: (t: Targets) => { payload: unknown; headers?: Record<string, string> };
  /** Who gets a 2xx. Allowed mutations are exercised by the modules' own tests, not here. */
  allowed: readonly ActorKind[];
  /** Which target, when a route has several rows. */
  on?: string;
  /** Text of the target that a refusal must never carry (personal data, ids of others). */
  secret?: (t: Targets) => string;
  /**
   * Actors allowed to call a list route whose answer must still not contain `hiddenFrom.text`;
   * `seenBy` (default: the first other allowed actor) does get it, so the check can fail.
   */
  hiddenFrom?: { actors: readonly ActorKind[]; text: (t: Targets) => string; seenBy?: ActorKind };
}

export const machineKinds: readonly ActorKind[] = ['machine', 'machineOther', 'machineA', 'machineB'];
export const persons = actorKinds.filter((a) => a !== 'anonymous' && !machineKinds.includes(a));
export const machines = ['machine'] as const;
/** People who register professionals somewhere (register scope not empty). */
export const registrars = ['operator', 'rl', 'gestEjA', 'gestEgA', 'gestEjB'] as const;
/** People whose register scope covers EG 1 of EJ A. */
const eg1 = ['operator', 'rl', 'gestEjA', 'gestEgA'] as const;
/** People whose register scope covers EG 2 of EJ A. */
const eg2 = ['operator', 'rl', 'gestEjA'] as const;

/**
 * A draft of the EJ-wide gestionnaire of A belongs to structure A (issue 15): whoever's scope
 * covers all of EJ A (its RL, its EJ-wide gestionnaires) resumes it; nobody else.
 */
const structureA = ['rl', 'gestEjA'] as const;

/** Birth name typed in the draft of structure A: nobody outside A may read it. */
export const draftSecret = 'Brouillonsecret';

const json = (payload: unknown) => () => ({ payload });
const csvForm = (ejFiness: string, mode: 'commit' | 'dry-run') => () => {
  const f = multipart({ ejFiness, mode, declarations: ['accurateAndInformed', 'metInPerson'] }, { file: { name: 'equipe.csv', content: toCsv([validRow(7001, demo.eg1)]), type: 'text/csv' } });
  return { payload: f.payload, headers: f.headers };
};
const situation = (egFiness: string) => ({ egFiness, professionCode: '313', roleCode: 'GENR11', modeCode: 'S', startDate: '2026-11-02' });
const end = (endDate: string) => json({ endDate, reason: 'departure' });

const access: Row[] = [
  { method: 'POST', route: '/api/access-decisions', url: () => '/api/access-decisions', body: (t) => ({ payload: { professional: t.rppsA, documentType: 'cr_consult' } }), allowed: machines },
  { method: 'POST', route: '/api/access-decisions/batch', url: () => '/api/access-decisions/batch', body: (t) => ({ payload: { questions: [{ professional: t.rppsA, documentType: 'cr_consult' }] } }), allowed: machines },
  {
    method: 'POST',
    route: '/api/access-matrix',
    url: () => '/api/access-matrix',
    body: json({ label: 'Matrice test', effectiveFrom: '2027-01-01', source: 'ANS, test', grants: { GENR09: ['cr_consult'] } }),
    allowed: ['operator'],
  },
  // A signed-in person whom no record carries reads `{ registered: false }`: a state, not an error.
  { method: 'GET', route: '/api/me/access', url: () => '/api/me/access', allowed: persons, hiddenFrom: { actors: persons.filter((a) => a !== 'professional'), text: (t) => t.rppsA, seenBy: 'professional' } },
  { method: 'GET', route: '/api/professionals/:rpps/mssante', url: (t) => `/api/professionals/${t.rppsA}/mssante`, allowed: ['professional', ...eg1] },
  { method: 'GET', route: '/api/professionals/:rpps/mssante', url: (t) => `/api/professionals/${t.rppsEg2}/mssante`, on: 'EG 2', allowed: ['professionalOther', ...eg2] },
  { method: 'GET', route: '/api/mssante/eligibility/:rpps', url: (t) => `/api/mssante/eligibility/${t.rppsA}`, allowed: machines },
];

const apiKeys: Row[] = [
  { method: 'GET', route: '/api/api-keys', url: () => '/api/api-keys', allowed: ['operator'] },
  { method: 'POST', route: '/api/api-keys', url: () => '/api/api-keys', body: json({ name: 'Clé volée', scopes: ['directory:read'] }), allowed: ['operator'] },
  { method: 'DELETE', route: '/api/api-keys/:id', url: (t) => `/api/api-keys/${t.apiKeyId}`, allowed: ['operator'] },
];

const bulkImport: Row[] = [
  { method: 'GET', route: '/api/bulk-imports/structures', url: () => '/api/bulk-imports/structures', allowed: persons, hiddenFrom: { actors: ['gestEjB', 'professional', 'professionalOther', 'franceconnect', 'franceconnectOther', 'mandataire'], text: () => demo.ej, seenBy: 'gestEjA' } },
  { method: 'POST', route: '/api/bulk-imports', url: () => '/api/bulk-imports', body: csvForm(demo.ej, 'commit'), allowed: eg1 },
  // The import of the EJ-wide gestionnaire may write into EG 1 and EG 2: the EG 1 gestionnaire
  // does not follow it (its report names people of EG 2), only those whose scope covers both.
  { method: 'GET', route: '/api/bulk-imports/:id', url: (t) => `/api/bulk-imports/${t.importA}`, allowed: eg2 },
  { method: 'GET', route: '/api/bulk-imports/:id/report.csv', url: (t) => `/api/bulk-imports/${t.importA}/report.csv`, allowed: eg2, secret: () => 'importée' },
  // A key bound to a structure imports into its EJ only and follows its EJ's imports only; a
  // national key (explicit at creation) everywhere.
  { method: 'POST', route: '/api/bulk-imports/machine/', url: () => '/api/bulk-imports/machine/', body: csvForm(demo.ej, 'commit'), allowed: ['machine', 'machineA'] },
  { method: 'GET', route: '/api/bulk-imports/machine/:id', url: (t) => `/api/bulk-imports/machine/${t.importA}`, allowed: ['machine', 'machineA'] },
  { method: 'GET', route: '/api/bulk-imports/machine/:id/report.csv', url: (t) => `/api/bulk-imports/machine/${t.importA}/report.csv`, allowed: ['machine', 'machineA'], secret: () => 'importée' },
];

const dashboard: Row[] = [
  { method: 'GET', route: '/api/dashboard/operator', url: () => '/api/dashboard/operator', allowed: ['operator'] },
  { method: 'GET', route: '/api/dashboard/structures/:finess', url: () => `/api/dashboard/structures/${demo.ej}`, allowed: eg1, hiddenFrom: { actors: ['gestEgA'], text: () => demo.eg2 } },
  { method: 'GET', route: '/api/dashboard/structures/:finess', url: () => `/api/dashboard/structures/${demo.otherEj}`, on: 'EJ B', allowed: ['operator', 'gestEjB'] },
  { method: 'GET', route: '/api/dashboard/structures/:finess', url: () => `/api/dashboard/structures/${demo.eg2}`, on: 'EG 2', allowed: eg2 },
];

const myRecord: Row[] = [
  // An e-CPS identity that no record carries (operator, EJ gestionnaires) reads `{ registered: false }`: a state, not an error.
  { method: 'GET', route: '/api/my-record', url: () => '/api/my-record', allowed: ['professional', 'professionalOther', 'operator', 'gestEjA', 'gestEjB'], hiddenFrom: { actors: ['professionalOther', 'operator', 'gestEjA', 'gestEjB'], text: (t) => t.rppsA, seenBy: 'professional' } },
  { method: 'POST', route: '/api/my-record/contact-changes', url: () => '/api/my-record/contact-changes', body: json({ kind: 'email', value: 'pirate@exemple.fr' }), allowed: ['professional', 'professionalOther'] },
  { method: 'POST', route: '/api/my-record/contact-changes/:id/confirm', url: (t) => `/api/my-record/contact-changes/${t.contactChangeA}/confirm`, body: json({ code: '000000' }), allowed: ['professional'] },
];

// "Mon espace" (issue 17): every signed-in person has a task list; a structure's drafts appear
// only to those whose current scope covers them (never to structure B, an EG-only gestionnaire or the operator).
const mySpace: Row[] = [
  {
    method: 'GET',
    route: '/api/me/tasks',
    url: () => '/api/me/tasks',
    allowed: persons,
    hiddenFrom: { actors: ['gestEjB', 'gestEgA', 'operator', 'mandataire', 'professional', 'professionalOther', 'franceconnect', 'franceconnectOther'], text: (t) => t.draftA, seenBy: 'gestEjA' },
  },
];

const draftRequest = json({ contact: { email: 'autre@exemple.fr', mobile: '0611223344' }, situation: { egFiness: demo.eg1, professionCode: '313', roleCode: 'GENR11', startDate: '2026-11-02' }, termsAccepted: true });
const preregistration: Row[] = [
  { method: 'GET', route: '/api/preregistration/me', url: () => '/api/preregistration/me', allowed: ['franceconnect', 'franceconnectOther'], hiddenFrom: { actors: ['franceconnectOther'], text: (t) => t.requestDraft } },
  { method: 'GET', route: '/api/preregistration/establishments', url: () => '/api/preregistration/establishments', allowed: ['franceconnect', 'franceconnectOther'] },
  { method: 'POST', route: '/api/preregistration/requests', url: () => '/api/preregistration/requests', body: draftRequest, allowed: ['franceconnect', 'franceconnectOther'] },
  { method: 'GET', route: '/api/preregistration/requests/:id', url: (t) => `/api/preregistration/requests/${t.requestDraft}`, allowed: ['franceconnect'] },
  { method: 'PUT', route: '/api/preregistration/requests/:id', url: (t) => `/api/preregistration/requests/${t.requestDraft}`, body: draftRequest, allowed: ['franceconnect'] },
  { method: 'POST', route: '/api/preregistration/requests/:id/submit', url: (t) => `/api/preregistration/requests/${t.requestDraft}/submit`, allowed: ['franceconnect'] },
  { method: 'POST', route: '/api/preregistration/requests/:id/withdraw', url: (t) => `/api/preregistration/requests/${t.requestDraft}/withdraw`, allowed: ['franceconnect'] },
  { method: 'GET', route: '/api/preregistration/queue', url: () => '/api/preregistration/queue', allowed: registrars, hiddenFrom: { actors: ['gestEjB'], text: (t) => t.requestPendingA } },
  { method: 'GET', route: '/api/preregistration/queue', url: () => '/api/preregistration/queue', on: 'EG 2 request', allowed: registrars, hiddenFrom: { actors: ['gestEgA', 'gestEjB'], text: (t) => t.requestPendingEg2 } },
  { method: 'GET', route: '/api/preregistration/queue/count', url: () => '/api/preregistration/queue/count', allowed: persons },
  { method: 'GET', route: '/api/preregistration/queue/:id', url: (t) => `/api/preregistration/queue/${t.requestPendingA}`, allowed: eg1 },
  { method: 'GET', route: '/api/preregistration/queue/:id', url: (t) => `/api/preregistration/queue/${t.requestPendingEg2}`, on: 'EG 2', allowed: eg2 },
  { method: 'POST', route: '/api/preregistration/queue/:id/validate', url: (t) => `/api/preregistration/queue/${t.requestPendingEg2}/validate`, on: 'EG 2', body: json({ declarations: { accurateAndInformed: true, metInPerson: true } }), allowed: eg2 },
  { method: 'POST', route: '/api/preregistration/queue/:id/reject', url: (t) => `/api/preregistration/queue/${t.requestPendingEg2}/reject`, on: 'EG 2', body: json({ reason: 'Motif de refus suffisant' }), allowed: eg2 },
  { method: 'POST', route: '/api/preregistration/queue/:id/validate', url: (t) => `/api/preregistration/queue/${t.requestPendingA}/validate`, body: json({ declarations: { accurateAndInformed: true, metInPerson: true } }), allowed: eg1 },
  { method: 'POST', route: '/api/preregistration/queue/:id/reject', url: (t) => `/api/preregistration/queue/${t.requestPendingA}/reject`, body: json({ reason: 'Motif de refus suffisant' }), allowed: eg1 },
];

const idDoc = () => {
  const f = multipart({}, { identityDocument: { name: 'cni.pdf', content: pdf() } });
  return { payload: f.payload, headers: f.headers };
};
const register: Row[] = [
  { method: 'POST', route: '/api/register/drafts', url: () => '/api/register/drafts', allowed: registrars },
  { method: 'GET', route: '/api/register/drafts', url: () => '/api/register/drafts', allowed: registrars, hiddenFrom: { actors: ['operator', 'gestEgA', 'gestEjB'], text: (t) => t.draftA } },
  { method: 'GET', route: '/api/register/drafts/:id', url: (t) => `/api/register/drafts/${t.draftA}`, allowed: structureA, secret: () => draftSecret },
  { method: 'DELETE', route: '/api/register/drafts/:id', url: (t) => `/api/register/drafts/${t.draftA}`, allowed: structureA },
  { method: 'PUT', route: '/api/register/drafts/:id/etat-civil', url: (t) => `/api/register/drafts/${t.draftA}/etat-civil`, body: json(etatCivil({ birthName: 'Intrus' })), allowed: structureA },
  { method: 'PUT', route: '/api/register/drafts/:id/identity-document', url: (t) => `/api/register/drafts/${t.draftA}/identity-document`, body: idDoc, allowed: structureA },
  { method: 'PUT', route: '/api/register/drafts/:id/contact', url: (t) => `/api/register/drafts/${t.draftA}/contact`, body: json({ email: 'intrus@exemple.fr', mobile: '0699887766' }), allowed: structureA },
  { method: 'PUT', route: '/api/register/drafts/:id/situation', url: (t) => `/api/register/drafts/${t.draftA}/situation`, body: json(situation(demo.eg1)), allowed: structureA },
  { method: 'PUT', route: '/api/register/drafts/:id/declarations', url: (t) => `/api/register/drafts/${t.draftA}/declarations`, body: json({ accurateAndInformed: true, metInPerson: true }), allowed: structureA },
  { method: 'POST', route: '/api/register/drafts/:id/submit', url: (t) => `/api/register/drafts/${t.draftA}/submit`, body: json({}), allowed: structureA },
  { method: 'GET', route: '/api/register/establishments', url: () => '/api/register/establishments', allowed: registrars, hiddenFrom: { actors: ['gestEjB', 'gestEgA'], text: () => demo.eg2 } },
  { method: 'POST', route: '/api/register/identify', url: () => '/api/register/identify', body: (t) => ({ payload: t.identityA }), allowed: registrars },
  { method: 'POST', route: '/api/register/situations', url: () => '/api/register/situations', body: (t) => ({ payload: { identity: t.identityA, situation: situation(demo.eg2) } }), allowed: eg2 },
  { method: 'GET', route: '/api/register/professionals', url: () => '/api/register/professionals', allowed: registrars, hiddenFrom: { actors: ['gestEjB'], text: (t) => t.rppsA } },
  { method: 'GET', route: '/api/register/professionals/:rpps', url: (t) => `/api/register/professionals/${t.rppsA}`, allowed: eg1, secret: (t) => t.identityA.birthName.toUpperCase() },
  { method: 'GET', route: '/api/register/professionals/:rpps', url: (t) => `/api/register/professionals/${t.rppsEg2}`, on: 'EG 2', allowed: eg2, secret: (t) => t.birthNameEg2.toUpperCase() },
  // A person of EG 1 and EG 2: the EG 1 gestionnaire sees him, but not his EG 2 situation.
  { method: 'GET', route: '/api/register/professionals/:rpps', url: (t) => `/api/register/professionals/${t.rppsBoth}`, on: 'EG 1 and EG 2', allowed: eg1, hiddenFrom: { actors: ['gestEgA'], text: (t) => t.situationBothEg2 } },
  // Filters cannot widen the scope.
  { method: 'GET', route: '/api/register/professionals', url: () => `/api/register/professionals?egFiness=${demo.eg2}`, on: 'filtered on EG 2', allowed: registrars, hiddenFrom: { actors: ['gestEgA', 'gestEjB'], text: (t) => t.rppsEg2 } },
  { method: 'GET', route: '/api/register/professionals', url: (t) => `/api/register/professionals?q=${encodeURIComponent(t.identityA.birthName)}`, on: 'searched by name', allowed: registrars, hiddenFrom: { actors: ['gestEjB'], text: (t) => t.rppsA } },
  { method: 'GET', route: '/api/register/establishments', url: () => `/api/register/establishments?q=${demo.eg2}`, on: 'searched EG 2', allowed: registrars, hiddenFrom: { actors: ['gestEgA', 'gestEjB'], text: () => demo.eg2 } },
  { method: 'PATCH', route: '/api/register/situations/:id', url: (t) => `/api/register/situations/${t.situationA}`, body: json({ roleCode: 'GENR10' }), allowed: eg1 },
  { method: 'PATCH', route: '/api/register/situations/:id', url: (t) => `/api/register/situations/${t.situationEg2}`, body: json({ roleCode: 'GENR10' }), on: 'EG 2', allowed: eg2 },
  { method: 'POST', route: '/api/register/situations/:id/end', url: (t) => `/api/register/situations/${t.situationA}/end`, body: end('2026-11-23'), allowed: eg1 },
  { method: 'POST', route: '/api/register/situations/:id/scheduled-end', url: (t) => `/api/register/situations/${t.situationA}/scheduled-end`, body: end('2026-12-31'), allowed: eg1 },
  { method: 'DELETE', route: '/api/register/situations/:id', url: (t) => `/api/register/situations/${t.situationA}`, allowed: eg1 },
  { method: 'DELETE', route: '/api/register/situations/:id', url: (t) => `/api/register/situations/${t.situationEg2}`, on: 'EG 2', allowed: eg2 },
  { method: 'GET', route: '/api/register/identity-reviews', url: () => '/api/register/identity-reviews', allowed: ['operator'] },
  { method: 'GET', route: '/api/register/identity-reviews/:rpps/identity-document', url: (t) => `/api/register/identity-reviews/${t.rppsA}/identity-document`, allowed: ['operator'] },
  { method: 'POST', route: '/api/register/identity-reviews/:rpps/decision', url: (t) => `/api/register/identity-reviews/${t.rppsA}/decision`, body: json({ decision: 'rejected', reason: 'Identité non confirmée' }), allowed: ['operator'] },
];

/** The requester's e-mail of the support request: only operators read it. */
export const supportSecret = 'demandeur.secret@exemple.fr';
const support: Row[] = [
  { method: 'GET', route: '/api/support/requests', url: () => '/api/support/requests', allowed: ['operator'] },
  { method: 'GET', route: '/api/support/requests/:id', url: (t) => `/api/support/requests/${t.supportRequest}`, allowed: ['operator'], secret: () => supportSecret },
  { method: 'POST', route: '/api/support/requests/:id/answer', url: (t) => `/api/support/requests/${t.supportRequest}/answer`, body: json({ answer: 'Voici la réponse.' }), allowed: ['operator'] },
];

/** Operations: the metrics scraper holds METRICS_TOKEN, which no actor here has (docs/operations.md#metrics). */
const operations: Row[] = [{ method: 'GET', route: '/metrics', url: () => '/metrics', allowed: [] }];

export const rows: Row[] = [...access, ...apiKeys, ...bulkImport, ...dashboard, ...myRecord, ...mySpace, ...preregistration, ...register, ...support, ...operations];

/**
 * Routes anyone may call, including anonymous callers: the public directory and FHIR API,
 * reference data, templates, sign-in, e-CPS activation (its own code check) and health. Listed so
 * that opening a route to everyone is a decision someone writes down here (the embedded identity
 * providers under /dev-idp/ and the dev outbox are not mounted in production).
 */
export const publicRoutes = [
  'GET /api/access-matrix',
  'GET /api/access-matrix/versions',
  'GET /api/bulk-imports/codes/:list',
  'GET /api/bulk-imports/template.csv',
  'GET /api/bulk-imports/template.xlsx',
  'GET /api/communes',
  'GET /api/communes/:inseeCode',
  'GET /api/dev/outbox',
  'GET /api/dev/outbox/:id',
  'GET /api/directory/changes',
  'GET /api/directory/extractions',
  'GET /api/directory/extractions/:id',
  'GET /api/directory/practitioners',
  'GET /api/directory/practitioners/:rpps',
  'POST /api/ecps/activation',
  'POST /api/ecps/activation/code',
  'POST /api/register/situation-reports',
  'GET /api/nomenclatures/:kind',
  'GET /api/session',
  'GET /api/structures',
  'GET /api/structures/:finess',
  'GET /api/support/contact',
  'POST /api/support/requests',
  'GET /auth/:provider/callback',
  'GET /auth/:provider/login',
  'POST /auth/logout',
  'GET /fhir/Organization',
  'GET /fhir/Organization/:id',
  'POST /fhir/Organization/_search',
  'GET /fhir/Practitioner',
  'GET /fhir/Practitioner/:id',
  'POST /fhir/Practitioner/_search',
  'GET /fhir/PractitionerRole',
  'GET /fhir/PractitionerRole/:id',
  'POST /fhir/PractitionerRole/_search',
  'GET /fhir/metadata',
  'GET /health/live',
  'GET /health/ready',
];

/** Routes whose matrix is kept next to their module (same actors, same refusal rules). */
export const coveredElsewhere = [{ prefix: '/api/onboarding/', file: 'src/server/modules/onboarding/permission-matrix.e2e.test.ts' }];
