import type { Database } from '../../db/database.ts';
import type { JobQueue } from '../../jobs/index.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import { demoActor } from '../onboarding/demo.ts';
import { createRequestFromFile } from '../preregistration/service.ts';
import { createRegisterService, type EndReason } from './service.ts';
import type { Actor, EtatCivilInput } from './types.ts';

const actor: Actor = { id: demoActor, kind: 'demo' };
const ej = '690800123';

/** The marker row in `nomenclature` (like the FINESS demo set of src/server/demo.ts). */
const marker = 'demo-professionals';
const markerVersion = '1';

interface DemoProfessional {
  etatCivil: EtatCivilInput;
  egFiness: string;
  professionCode: string;
  roleCode: string;
  startDate: string;
  ended?: { endDate: string; reason: EndReason };
}

const woman = (birthName: string, firstNames: string[], birthDate: string, birthCommuneCode: string, usageName: string | null = null): EtatCivilInput => ({
  civilite: 'MME',
  sexe: 'F',
  birthName,
  usageName,
  firstNames,
  birthDate,
  birthCountryCode: '99100',
  birthCommuneCode,
});
const man = (birthName: string, firstNames: string[], birthDate: string, birthCommuneCode: string): EtatCivilInput => ({
  ...woman(birthName, firstNames, birthDate, birthCommuneCode),
  civilite: 'M',
  sexe: 'M',
});

/**
 * Fictitious professionals of the EGs of EJ 690800123 (ASSOCIATION LES TILLEULS), the EJ the
 * demo gestionnaires of fixtures/identities.json manage. Names, birth data and contacts are
 * invented; e-mails are on the reserved `.invalid` domain.
 */
export const demoProfessionals: DemoProfessional[] = [
  { etatCivil: woman('GUÉRIN', ['Élodie', 'Marguerite'], '1986-03-14', '69123'), egFiness: '690800206', professionCode: '313', roleCode: 'GENR11', startDate: '2018-09-03' },
  { etatCivil: man('BEAUCHÊNE', ['Théo'], '1991-07-02', '69266'), egFiness: '690800206', professionCode: '328', roleCode: 'GENR11', startDate: '2021-01-11' },
  { etatCivil: woman('FAURÉ-LAMBERT', ['Inès', 'Noëlle'], '1979-11-23', '75056'), egFiness: '690800206', professionCode: '331', roleCode: 'GENR09', startDate: '2015-04-01' },
  {
    etatCivil: woman('LEMAÎTRE', ['Béatrice'], '1970-06-06', '35238'),
    egFiness: '690800206',
    professionCode: '313',
    roleCode: 'GENR11',
    startDate: '2024-02-01',
    ended: { endDate: '2025-07-31', reason: 'interim-end' },
  },
  { etatCivil: man('LEBRUN', ['François-Xavier'], '1968-05-09', '13055'), egFiness: '690800388', professionCode: '312', roleCode: 'GENR12', startDate: '2012-10-01' },
  { etatCivil: woman('PELLETIER', ['Chloé'], '1983-02-17', '69123', 'MOREAU'), egFiness: '690800388', professionCode: '326', roleCode: 'GENR10', startDate: '2019-05-13' },
  { etatCivil: woman('OLIVIER-BLANCHARD', ['Séverine'], '1989-10-19', '06088'), egFiness: '690800388', professionCode: '365', roleCode: 'GENR09', startDate: '2022-03-07' },
  { etatCivil: man('NAVARRO', ['Jérôme'], '1975-09-30', '31555'), egFiness: '690800461', professionCode: '313', roleCode: 'GENR11', startDate: '2016-06-20' },
  { etatCivil: woman('COSTA', ['Maëlys'], '1995-12-05', '33063'), egFiness: '690800461', professionCode: '328', roleCode: 'GENR11', startDate: '2023-09-04' },
  { etatCivil: man('AUBERT', ['Benoît'], '1988-04-21', '44109'), egFiness: '690800537', professionCode: '372', roleCode: 'GENR11', startDate: '2020-11-02' },
  { etatCivil: woman('ROUSSEL', ['Zoé', 'Héloïse'], '1993-08-12', '67482'), egFiness: '690800537', professionCode: '330', roleCode: 'GENR08', startDate: '2024-01-08' },
  {
    etatCivil: man('CHEVALIER', ['Gaëtan'], '1981-01-28', '59350'),
    egFiness: '690800610',
    professionCode: '324',
    roleCode: 'GENR10',
    startDate: '2017-02-06',
    ended: { endDate: '2026-03-31', reason: 'departure' },
  },
];

/** Pre-registration requests waiting in the queue of the EHPAD LES TILLEULS' gestionnaires. */
const demoRequests = [
  { etatCivil: woman('MERCIER', ['Anaïs'], '1997-05-26', '69123'), professionCode: '313', roleCode: 'GENR11' },
  { etatCivil: man('BRISSON', ['Loïc', 'André'], '1990-12-14', '69266'), professionCode: '328', roleCode: 'GENR10' },
];

const contact = (n: number) => ({ email: `professionnel.demo${n + 1}@exemple.invalid`, mobile: `06000000${String(n + 10).padStart(2, '0')}` });

export interface DemoProfessionalsDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>;
  /** The started job runtime: identity checks and the first extraction are enqueued like in real life. */
  jobs: JobQueue;
}

/**
 * Demo professionals for `npm start` (never for the test template, see src/server/demo.ts):
 * registered through the register service with the demo actor, so the outbox publishes them to
 * the directory as in real life; two situations ended; two pending pre-registration requests.
 * Then, when no extraction file exists yet, one full `directory.extract` is enqueued to run after
 * the publication (a minute later). Idempotent: a marker row in `nomenclature`; each registration
 * also carries an idempotency key, so an interrupted run completes without duplicates.
 */
export async function seedDemoProfessionals(deps: DemoProfessionalsDeps): Promise<{ seeded: boolean }> {
  const { db, clock, jobs } = deps;
  const done = await db.selectFrom('nomenclature').select('version').where('kind', '=', marker).executeTakeFirst();
  if (done?.version !== markerVersion) {
    // No mail: the addresses are fictitious; the identity verification runs as for any registration.
    const register = createRegisterService({ db, clock, config: deps.config, jobs });
    for (const [n, p] of demoProfessionals.entries()) {
      const { situationId } = await register.registerProfessional(actor, 'all', {
        etatCivil: p.etatCivil,
        contact: contact(n),
        situation: { egFiness: p.egFiness, professionCode: p.professionCode, roleCode: p.roleCode, modeCode: 'S', startDate: p.startDate },
        idempotencyKey: `demo-professional:${n + 1}`,
      });
      if (!p.ended) continue;
      const situation = await db.selectFrom('situation').select('status').where('id', '=', situationId).executeTakeFirstOrThrow();
      if (situation.status !== 'ended') await register.endSituation(actor, 'all', situationId, p.ended);
    }
    await db.transaction().execute(async (trx) => {
      for (const [n, r] of demoRequests.entries()) {
        await createRequestFromFile(trx, clock.now(), actor, {
          idempotencyKey: `demo-preregistration:${n + 1}`,
          ejFiness: ej,
          egFiness: '690800206',
          etatCivil: r.etatCivil,
          contact: contact(demoProfessionals.length + n),
          situation: { egFiness: '690800206', professionCode: r.professionCode, roleCode: r.roleCode, modeCode: 'S', startDate: '2026-12-01' },
        });
      }
      await trx
        .insertInto('nomenclature')
        .values({ kind: marker, source: 'src/server/modules/register/demo.ts (fictitious professionals)', codeSystem: null, version: markerVersion })
        .onConflict((oc) => oc.column('kind').doUpdateSet({ version: markerVersion, updatedAt: clock.now() }))
        .execute();
    });
  }
  const extraction = await db.selectFrom('directoryExtraction').select('id').limit(1).executeTakeFirst();
  if (!extraction) {
    await db.transaction().execute((trx) => jobs.enqueue(trx, 'directory.extract', { kind: 'full' }, { singletonKey: 'directory.extract', startAfter: 60 }));
  }
  return { seeded: done?.version !== markerVersion };
}
