import { type Kysely, sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
// The bulk-import tables are declared by their module (module augmentation of DB).
import type {} from '../bulk-import/service.ts';

/**
 * Counts of "Mon espace" (issue 17), plain Kysely: every query of a structure's work is narrowed
 * to the caller's CURRENT register scope (`egs`: the EG he registers in) in its SQL (STYLE.md §4).
 */
type Db = Kysely<DB>;

const none = sql<boolean>`false`;

/** Distinct professionals with an active situation in one of `egs`. */
export async function countActiveProfessionals(db: Db, egs: readonly string[]): Promise<number> {
  if (egs.length === 0) return 0;
  const row = await db
    .selectFrom('situation')
    .select(sql<string>`count(distinct situation.person_id)`.as('n'))
    .where('situation.status', '=', 'active')
    .where('situation.egFiness', 'in', [...egs])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The latest bulk imports the caller may follow (the import's EG all within his scope, as
 * `findVisible` of the bulk-import module), with their rows by outcome.
 */
export async function latestImports(db: Db, egs: readonly string[], limit: number) {
  const visible = (q: ReturnType<typeof base>) => (egs.length === 0 ? q.where(none) : q.where(sql<boolean>`cardinality(bulk_import.eg_scope) > 0 AND bulk_import.eg_scope <@ ${sql.val([...egs])}::text[]`));
  const base = () => db.selectFrom('bulkImport');
  const [count, rows] = await Promise.all([
    visible(base()).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
    visible(base())
      .select(['bulkImport.id', 'bulkImport.fileName', 'bulkImport.mode', 'bulkImport.status', 'bulkImport.rowCount', 'bulkImport.createdAt', 'bulkImport.finishedAt'])
      .select((eb) => [
        eb.selectFrom('bulkImportRow').select((r) => r.fn.countAll<string>().as('n')).whereRef('bulkImportRow.importId', '=', 'bulkImport.id').where('bulkImportRow.status', '=', 'imported').as('imported'),
        eb.selectFrom('bulkImportRow').select((r) => r.fn.countAll<string>().as('n')).whereRef('bulkImportRow.importId', '=', 'bulkImport.id').where('bulkImportRow.status', 'in', ['failed', 'invalid']).as('rejected'),
      ])
      .orderBy('bulkImport.createdAt', 'desc')
      .orderBy('bulkImport.id')
      .limit(limit)
      .execute(),
  ]);
  return { total: Number(count.n), rows };
}

/**
 * Per contracting entity (an EJ, or an EG with its own contract) that the caller manages: its
 * latest contract, its active habilitations (and those ending within `soonDays`), and whether a
 * new représentant légal waits for the ANS.
 */
export async function entityTasks(db: Db, entities: readonly string[], today: string, soonDays: number) {
  if (entities.length === 0) return [];
  const contracts = await db
    .selectFrom('contract')
    .select([sql<string>`coalesce(contract.eg_finess, contract.ej_finess)`.as('entity'), 'contract.id', 'contract.status', 'contract.strategy', 'contract.createdAt'])
    .select((eb) =>
      eb.exists(eb.selectFrom('rlSuccession').select('rlSuccession.id').whereRef('rlSuccession.contractId', '=', 'contract.id').where('rlSuccession.status', '=', 'pending')).as('successionPending'),
    )
    .where(sql<string>`coalesce(contract.eg_finess, contract.ej_finess)`, 'in', [...entities])
    .orderBy('contract.createdAt', 'desc')
    .execute();
  const names = await db.selectFrom('structure').select(['finess', 'name']).where('finess', 'in', [...entities]).execute();
  const soon = new Date(Date.parse(`${today}T00:00:00Z`) + soonDays * 86_400_000).toISOString().slice(0, 10);
  const habilitations = await Promise.all(
    entities.map((entity) =>
      db
        .selectFrom('habilitation')
        .select((eb) => [
          eb.fn.countAll<string>().as('active'),
          eb.fn.count<string>(sql`case when habilitation.ends_on is not null and habilitation.ends_on <= ${soon}::date then 1 end`).as('endingSoon'),
        ])
        .where('habilitation.status', '=', 'active')
        .where((eb) =>
          eb.or([
            eb('habilitation.ejFiness', '=', entity),
            eb.exists(eb.selectFrom('habilitationEg as he').select('he.egFiness').whereRef('he.habilitationId', '=', 'habilitation.id').where('he.egFiness', '=', entity)),
          ]),
        )
        .executeTakeFirstOrThrow(),
    ),
  );
  return entities.map((entity, i) => {
    const contract = contracts.find((c) => c.entity === entity);
    return {
      finess: entity,
      name: names.find((n) => n.finess === entity)?.name ?? null,
      contractStatus: contract?.status ?? null,
      strategy: contract?.strategy ?? null,
      successionPending: Boolean(contract?.successionPending),
      activeHabilitations: Number(habilitations[i]!.active),
      habilitationsEndingSoon: Number(habilitations[i]!.endingSoon),
    };
  });
}

/** The ANS operator's queues: identities to review, contracts and RL designations to decide, open support requests. */
export async function operatorCounts(db: Db) {
  const n = (row: { n: string | number | bigint }) => Number(row.n);
  const [identities, contracts, successions, support] = await Promise.all([
    db.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).where('identityStatus', '=', 'to_review').executeTakeFirstOrThrow(),
    db.selectFrom('contract').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'submitted').executeTakeFirstOrThrow(),
    db.selectFrom('rlSuccession').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow(),
    db.selectFrom('supportRequest').select((eb) => eb.fn.countAll<string>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow(),
  ]);
  return { identitiesToReview: n(identities), contractsToProcess: n(contracts) + n(successions), openSupportRequests: n(support) };
}

/** A registered professional's own record: his active situations, his e-CPS, his contact changes waiting for their code. */
export async function professionalTasks(db: Db, rpps: string, now: Date) {
  const person = await db.selectFrom('person').select(['id', 'rpps']).where('rpps', '=', rpps).executeTakeFirst();
  if (!person) return null;
  const [situations, ecps, changes] = await Promise.all([
    db.selectFrom('situation').select((eb) => eb.fn.countAll<string>().as('n')).where('personId', '=', person.id).where('status', '=', 'active').executeTakeFirstOrThrow(),
    db.selectFrom('ecpsAccount').select('status').where('personId', '=', person.id).executeTakeFirst(),
    db
      .selectFrom('contactChange')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('personId', '=', person.id)
      .where('confirmedAt', 'is', null)
      .where('cancelledAt', 'is', null)
      .where('expiresAt', '>', now)
      .executeTakeFirstOrThrow(),
  ]);
  return { rpps: person.rpps, activeSituations: Number(situations.n), ecps: ecps?.status ?? ('none' as const), pendingContactChanges: Number(changes.n) };
}

/** The latest pre-registration request of a FranceConnect account, if any. */
export function latestPreregistration(db: Db, accountId: string) {
  return db
    .selectFrom('preregistration')
    .select(['status', 'updatedAt'])
    .where('accountId', '=', accountId)
    .orderBy('createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
}
