import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<DB>;

/** The person behind an RPPS number, with what e-CPS needs (contact, e-CPS account). */
export function findPersonForEcps(db: Db, rpps: string) {
  return db
    .selectFrom('person')
    .leftJoin('ecpsAccount', 'ecpsAccount.personId', 'person.id')
    .select([
      'person.id',
      'person.rpps',
      'person.civilite',
      'person.email',
      'person.mobile',
      'person.identityStatus',
      'ecpsAccount.status as ecpsStatus',
      'ecpsAccount.invitedAt',
      'ecpsAccount.activatedAt',
    ])
    .where('person.rpps', '=', rpps)
    .executeTakeFirst();
}

/** The situations of a person (deleted ones excluded), with their EG's name. */
export function listSituationsForEcps(db: Db, personId: string) {
  return db
    .selectFrom('situation')
    .leftJoin('structure', 'structure.finess', 'situation.egFiness')
    .select([
      'situation.id',
      'situation.egFiness',
      'structure.name as egName',
      'structure.ejFiness',
      'structure.postalCode',
      'structure.city',
      'structure.inseeCode',
      'structure.departmentCode',
      'situation.modeCode',
      'situation.professionCode',
      'situation.roleCode',
      'situation.exerciseLastName',
      'situation.exerciseFirstName',
      'situation.startDate',
      'situation.endDate',
      'situation.status',
    ])
    .where('situation.personId', '=', personId)
    .where('situation.status', '<>', 'deleted')
    .orderBy('situation.startDate')
    .orderBy('situation.id')
    .execute();
}

export function countCodesSince(db: Db, personId: string, since: Date) {
  return db
    .selectFrom('ecpsActivationCode')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('personId', '=', personId)
    .where('createdAt', '>', since)
    .executeTakeFirstOrThrow();
}

/** The unconsumed codes of a person, newest first, locked for the attempt. */
export function openCodes(db: Db, personId: string) {
  return db
    .selectFrom('ecpsActivationCode')
    .selectAll()
    .where('personId', '=', personId)
    .where('consumedAt', 'is', null)
    .orderBy('createdAt', 'desc')
    .limit(10)
    .forUpdate()
    .execute();
}
