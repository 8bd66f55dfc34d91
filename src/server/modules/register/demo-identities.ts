import type { Database } from '../../db/database.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { demoActor } from '../onboarding/demo.ts';
import { createRegisterService } from './service.ts';
import type { Actor } from './types.ts';

const actor: Actor = { id: demoActor, kind: 'demo' };

/**
 * The professionals of fixtures/identities.json who sign in with a number the national RPPS
 * gave them (e-CPS or CPS card): they exist in the demo register under that very number, so
 * "Mon dossier RPPS" finds their record. Birth data and contacts are invented.
 */
const demoIdentities = [
  {
    rpps: '10003333449',
    etatCivil: { civilite: 'MME', sexe: 'F', birthName: 'D’ALMEIDA-KÉRÉBEL', usageName: null, firstNames: ['Marie-Ève', 'Françoise'], birthDate: '1984-04-12', birthCountryCode: '99100', birthCommuneCode: '29019' },
    contact: { email: 'marie-eve.dalmeida@exemple.invalid', mobile: '0600000031' },
    situations: [
      { egFiness: '690800206', professionCode: '313', roleCode: 'GENR11', startDate: '2019-03-04' },
      { egFiness: '690800461', professionCode: '313', roleCode: 'GENR11', startDate: '2022-09-01' },
    ],
  },
  {
    rpps: '10004444559',
    etatCivil: { civilite: 'M', sexe: 'M', birthName: 'ÇELIK', usageName: null, firstNames: ['Öztürk', 'Emre'], birthDate: '1981-10-05', birthCountryCode: '99100', birthCommuneCode: '69123' },
    contact: { email: 'emre.celik@exemple.invalid', mobile: '0600000032' },
    situations: [{ egFiness: '690800388', professionCode: '326', roleCode: 'GENR10', startDate: '2014-01-06' }],
  },
];

export interface DemoIdentitiesDeps {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>;
  jobs: JobQueue;
}

/** Idempotent: a person already holding the number is left as is. */
export async function seedDemoIdentities(deps: DemoIdentitiesDeps): Promise<{ seeded: number }> {
  const register = createRegisterService({ db: deps.db, clock: deps.clock, config: deps.config, jobs: deps.jobs });
  let seeded = 0;
  for (const p of demoIdentities) {
    const known = await deps.db.selectFrom('person').select('rpps').where('rpps', '=', p.rpps).executeTakeFirst();
    if (known) continue;
    const [first, ...others] = p.situations;
    const { rpps } = await register.registerProfessional(
      actor,
      'all',
      { etatCivil: p.etatCivil, contact: p.contact, situation: { ...first!, modeCode: 'S' }, idempotencyKey: `demo-identity:${p.rpps}` },
      { knownRpps: p.rpps },
    );
    const e = p.etatCivil;
    const identity = { rpps, birthName: e.birthName, firstName: e.firstNames[0]!, sexe: e.sexe, birthDate: e.birthDate };
    for (const s of others) await register.addSituation(actor, 'all', { identity, situation: { ...s, modeCode: 'S' } });
    seeded += 1;
  }
  return { seeded };
}
