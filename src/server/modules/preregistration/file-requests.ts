import { type Kysely, sql } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { DB } from '../../db/schema.ts';
import { candidateBirthDates } from '../register/duplicates.ts';
import type { Actor, EtatCivilInput, SituationInput } from '../register/types.ts';
import { RequestAlreadyPendingError } from './errors.ts';
import { pendingRequestFor, requestIdentity } from './queries.ts';

/** A request created from a row of a gestionnaire's bulk-import file ("pending requests" mode). */
export interface FileRequestInput {
  /** `bulk-import:<import id>:<row number>`: the same row processed twice yields the same request. */
  idempotencyKey: string;
  ejFiness: string;
  egFiness: string;
  etatCivil: EtatCivilInput;
  contact: { email: string | null | undefined; mobile: string | null | undefined };
  situation: SituationInput;
}

/**
 * Creates (once per idempotency key) a pending request in the gestionnaire's queue, inside the
 * caller's transaction, with its audit entry. The état civil comes from the file, not from
 * FranceConnect (`source = 'bulk-import'`): it is checked face to face at validation, and the
 * identity verification runs on the registered person like for any registration.
 * Returns the request id (the existing one when the key was already used); refuses a person who
 * already has another pending request in this EJ (`RequestAlreadyPendingError`).
 */
export async function createRequestFromFile(trx: Kysely<DB>, at: Date, actor: Actor, input: FileRequestInput): Promise<string> {
  const identity = requestIdentity(input.etatCivil);
  if (identity) {
    // Requests for people born the same days are serialized: two files cannot both queue a person.
    for (const day of candidateBirthDates(identity.birthDate).sort()) {
      await sql`SELECT pg_advisory_xact_lock(hashtext(${`preregistration-birth:${day}`}))`.execute(trx);
    }
    const pending = await pendingRequestFor(trx, input.ejFiness, identity, input.idempotencyKey);
    if (pending) throw new RequestAlreadyPendingError(pending.submittedOn);
  }
  const created = await trx
    .insertInto('preregistration')
    .values({
      accountId: null,
      source: 'bulk-import',
      idempotencyKey: input.idempotencyKey,
      status: 'pending',
      etatCivil: JSON.stringify(input.etatCivil),
      contact: JSON.stringify(input.contact),
      situation: JSON.stringify(input.situation),
      egFiness: input.egFiness,
      ejFiness: input.ejFiness,
      submittedAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .onConflict((oc) => oc.column('idempotencyKey').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!created) {
    const existing = await trx.selectFrom('preregistration').select('id').where('idempotencyKey', '=', input.idempotencyKey).executeTakeFirstOrThrow();
    return existing.id;
  }
  await recordAudit(trx, {
    at,
    actor,
    action: 'preregistration.created-from-file',
    entityType: 'preregistration',
    entityId: created.id,
    // Where the request comes from and where it goes.
    after: { source: 'bulk-import', key: input.idempotencyKey, egFiness: input.egFiness },
  });
  return created.id;
}
