import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { Clock } from '../../src/server/context.ts';
import type { JobQueue } from '../../src/server/jobs/index.ts';
import { createMailService } from '../../src/server/mail/service.ts';
import { activeContract, demo, habilitationFields, multipart, pdf, sessionFor, type Session } from '../../src/server/modules/onboarding/testing.ts';
import { createTestDatabase, type TestDatabase } from './db.ts';

/** The EJ-wide gestionnaire of structure B (a fictitious IDNPS of no demo identity). */
export const gestEjBIdnps = '810009999004';

export interface TwoStructures {
  app: FastifyInstance;
  database: TestDatabase;
  operator: Session;
  /** Structure A (`demo.ej`, from the demo data): its RL and its EJ-wide gestionnaire. */
  rlA: Session;
  gestEjA: Session;
  /** Structure B (`demo.otherEj`): its RL (the "educateur"), given an active contract, and the gestionnaire he habilitated. */
  rlB: Session;
  gestEjB: Session;
  /** The RL habilitates a gestionnaire on his EJ through the real flow (form + attestation). */
  habilitate(rl: Session, ejFiness: string, idnps: string, email: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Two structures, each with its RL and an EJ-wide gestionnaire, set up through the real contract
 * and habilitation flow, on an app whose mails are stored in the business transaction and that
 * runs no job (enqueueing does nothing): what structure B may see of structure A's work.
 */
export async function startTwoStructures(clock: Clock): Promise<TwoStructures> {
  const database = await createTestDatabase();
  const jobs = { enqueue: async () => undefined } as unknown as JobQueue;
  const app = await buildApp({ config: database.config, db: database.db, clock, jobs, mail: createMailService({ jobs, clock }) }, { logger: false });
  await app.ready();
  const db = database.db;
  const habilitate = async (rl: Session, ejFiness: string, idnps: string, email: string) => {
    const f = multipart(habilitationFields(idnps, { email }), { attestation: { name: 'a.pdf', content: pdf() } });
    const res = await rl.send('POST', `/api/onboarding/entities/${ejFiness}/habilitations`, f.payload, f.headers);
    expect(res.statusCode, res.body).toBe(201);
  };
  const operator = await sessionFor(app, db, demo.idnps.operator);
  const rlA = await sessionFor(app, db, demo.idnps.rl);
  const gestEjA = await sessionFor(app, db, demo.idnps.gestionnaireEj);
  const rlB = await sessionFor(app, db, demo.idnps.educateur);
  await activeContract(rlB, operator, demo.otherEj);
  await habilitate(rlB, demo.otherEj, gestEjBIdnps, 'gest.b@exemple.fr');
  const gestEjB = await sessionFor(app, db, gestEjBIdnps);
  return {
    app,
    database,
    operator,
    rlA,
    gestEjA,
    rlB,
    gestEjB,
    habilitate,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
