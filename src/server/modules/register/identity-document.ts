import type { Kysely } from 'kysely';
import { recordAudit } from '../../audit.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { DomainError, NotFoundError } from '../../errors.ts';
import type { FileStore } from '../../files/store.ts';
import type { Actor } from './types.ts';

class IdentityDocumentForbiddenError extends DomainError {
  constructor() {
    super('identity-document-forbidden', 403, 'Seuls les opérateurs de l’ANS consultent la copie de la pièce d’identité.');
  }
}

/** In `trx`: the person (and any draft) stops pointing at the copy, which is deleted; audited. */
export async function discardIdentityDocument(trx: Kysely<DB>, clock: Clock, personId: string, actor: Actor, reason: 'identity-confirmed' | 'retention-expired') {
  const person = await trx.selectFrom('person').select(['rpps', 'identityDocumentId']).where('id', '=', personId).executeTakeFirst();
  const fileId = person?.identityDocumentId;
  if (!person || !fileId) return false;
  await trx.updateTable('person').set({ identityDocumentId: null }).where('id', '=', personId).execute();
  await trx.updateTable('registrationDraft').set({ identityDocumentId: null }).where('identityDocumentId', '=', fileId).execute();
  await trx.deleteFrom('storedFile').where('id', '=', fileId).execute();
  await recordAudit(trx, {
    at: clock.now(),
    actor,
    action: 'person.identity-document-deleted',
    entityType: 'person',
    entityId: personId,
    before: { rpps: person.rpps, identityDocument: true },
    after: { rpps: person.rpps, identityDocument: false, reason },
  });
  return true;
}

/**
 * The copy of the identity document a gestionnaire attached (issue 15, hole 6). It exists only to
 * check the identity: the ANS reviewer may open it (each opening audited); it is deleted as soon
 * as the identity is confirmed, and otherwise `retentionDays` after it was uploaded, by the
 * `register.identity-documents` job. The data-protection page states the same periods.
 */
export function createIdentityDocuments(deps: { db: Database; clock: Clock; files: Pick<FileStore, 'get'>; retentionDays: number }) {
  const { db, clock, files } = deps;

  return {
    /** The ANS operator opens the copy from the review screen; the opening is audited. */
    async view(actor: Actor, isOperator: boolean, rpps: string) {
      if (!isOperator) throw new IdentityDocumentForbiddenError();
      const person = await db.selectFrom('person').select(['id', 'identityDocumentId']).where('rpps', '=', rpps).executeTakeFirst();
      const file = person?.identityDocumentId ? await files.get(db, person.identityDocumentId) : undefined;
      if (!person || !file) throw new NotFoundError('Aucune copie de pièce d’identité n’est conservée pour ce professionnel.', 'identity-document-not-found');
      await recordAudit(db, {
        at: clock.now(),
        actor,
        action: 'person.identity-document-viewed',
        entityType: 'person',
        entityId: person.id,
        after: { rpps, fileId: file.id },
      });
      return file;
    },

    /** Run daily: copies older than the retention period are deleted, whatever the identity's state. */
    async purgeExpired(): Promise<number> {
      const limit = new Date(clock.now().getTime() - deps.retentionDays * 86_400_000);
      const due = await db
        .selectFrom('person')
        .innerJoin('storedFile', 'storedFile.id', 'person.identityDocumentId')
        .select('person.id')
        .where('storedFile.createdAt', '<', limit)
        .execute();
      let deleted = 0;
      for (const p of due) {
        if (await db.transaction().execute((trx) => discardIdentityDocument(trx, clock, p.id, { id: 'job:register.identity-documents', kind: 'job' }, 'retention-expired'))) deleted++;
      }
      return deleted;
    },
  };
}
