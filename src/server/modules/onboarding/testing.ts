import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { upsertAccount } from '../../auth/accounts.ts';
import type { Database } from '../../db/database.ts';
import { pscSubject } from '../../dev-idp/identities.ts';
import { mieCguVersion } from '../../../shared/terms.ts';
import { minimalPdf } from './demo.ts';

/** Test helpers of the onboarding module (not a test file). */

export const demo = {
  ej: '690800123',
  eg1: '690800206',
  eg2: '690800388',
  otherEj: '690801576',
  otherEjEg: '690801600',
  pendingEj: '330050311',
  idnps: {
    rl: '3690800123/CDE0001',
    mandataire: '3690800123/CPE0002',
    gestionnaireEj: '810001111227',
    gestionnaireEg: '3690800206/CPE0042',
    operator: '810002222338',
    professional: '810003333449',
    educateur: '810004444559',
  },
} as const;

export interface Session {
  idnps: string;
  /** The session cookie and CSRF header, for requests built by hand (`app.inject`). */
  headers?: Record<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  send(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/**
 * A signed-in browser session for any IDNPS, opened directly in the session store (the full
 * OpenID Connect walk is tested by the sign-in module; here we need many people quickly).
 */
export async function sessionFor(app: FastifyInstance, db: Database, idnps: string, name = { familyName: 'TEST', givenName: 'Test' }): Promise<Session> {
  const account = await upsertAccount(db, { provider: 'psc', subject: pscSubject(idnps), idnps, ...name }, new Date());
  const created = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
  const cookie = `${app.auth.cookies.session}=${created.token}`;
  return {
    idnps,
    headers: { cookie, 'x-csrf-token': created.csrfToken },
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    send: (method, url, payload, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, 'x-csrf-token': created.csrfToken, ...headers },
        ...(payload === undefined ? {} : typeof payload === 'string' || Buffer.isBuffer(payload) ? { payload } : { payload: payload as object }),
      }),
  };
}

export const anonymousSession = (app: FastifyInstance): Session => ({
  idnps: '',
  headers: {},
  get: (url) => app.inject({ method: 'GET', url }),
  send: (method, url, payload, headers = {}) =>
    app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) }),
});

/** A multipart/form-data body (fields, repeated fields, files). */
export function multipart(fields: Record<string, string | string[]>, files: Record<string, { name: string; content: Buffer; type?: string }> = {}) {
  const boundary = `----rppsTest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) {
    for (const value of Array.isArray(v) ? v : [v]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${value}\r\n`));
    }
  }
  for (const [k, f] of Object.entries(files)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/pdf'}\r\n\r\n`));
    chunks.push(f.content, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const pdf = () => minimalPdf('Attestation e-learning gestionnaire RPPS+');

/** The fields of a valid habilitation form. */
export function habilitationFields(idnps: string, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    idnps,
    familyName: 'MARTIN',
    givenName: 'Claire',
    email: 'claire.martin@exemple.fr',
    credential: 'ecps',
    elearningCompletedOn: '2026-10-01',
    scope: 'ej',
    ...overrides,
  };
}

export async function counts(db: Database) {
  const n = async (table: 'storedFile' | 'habilitation' | 'contract' | 'auditEvent') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { files: await n('storedFile'), habilitations: await n('habilitation'), contracts: await n('contract'), audit: await n('auditEvent') };
}

/** What the contract's annex asks besides the RL (issue 16): SIRET du siège, address, MIE terms read. */
export const contractAnnex = { siret: '77562452600015', address: '12 rue des Tilleuls, 69008 Lyon', mieCguVersion } as const;

/** The representative a test contract names (his IDNPS makes him RL once the contract is active). */
export const testRl = (idnps: string) => ({ civility: 'M', familyName: 'ÇELIK', givenName: 'Emre', email: 'rl@b.invalid', phone: '0400000000', idnps });

/**
 * Walks a contract of `ejFiness` through the HTTP routes: requested and signed by `rl` (who
 * becomes its représentant légal), activated by `operator`. Returns the contract id.
 */
export async function activeContract(rl: Session, operator: Session, ejFiness: string): Promise<string> {
  const { id } = (await rl.send('POST', '/api/onboarding/contracts', { ejFiness, rl: testRl(rl.idnps), ...contractAnnex })).json();
  const f = multipart({}, { signedContract: { name: 'c.pdf', content: pdf() } });
  await rl.send('PUT', `/api/onboarding/contracts/${id}/signed-contract`, f.payload, f.headers);
  await rl.send('POST', `/api/onboarding/contracts/${id}/submit`, { signedOn: '2026-11-01' });
  const activated = await operator.send('POST', `/api/onboarding/contracts/${id}/activate`);
  if (activated.statusCode !== 200) throw new Error(`contract not activated: ${activated.statusCode} ${activated.body}`);
  return id;
}
