import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { createRequestFromFile } from '../preregistration/service.ts';
import type { RegisterService } from '../register/service.ts';
import type { Actor } from '../register/types.ts';
import { type ImportLookups, loadImportLookups } from './lookups.ts';
import { type BulkImportDeps, normalizedFiness, rowKey, setSize, type StoredRow } from './model.ts';
import { registerBatch, rowErrorsOf } from './register-batch.ts';

/**
 * Use case: process the next batch of a committed import. `register` mode goes set-based
 * (register-batch.ts: one transaction per `setSize` rows); `pending` mode creates one request per
 * row, each in its own transaction. Both are exactly-once: a row is marked in the transaction
 * that does its work, and its idempotency key (file + row) makes a row processed twice — after a
 * crash, or by two workers — do its work once.
 */
export function createBatchProcessing(deps: BulkImportDeps & { register: RegisterService; mail: BulkImportDeps['mail'] }) {
  const { db, clock, config, register } = deps;

  async function markImported(executor: Kysely<DB>, importId: string, rowNumber: number, done: { rpps: string } | { requestId: string }) {
    await executor
      .updateTable('bulkImportRow')
      .set({ status: 'imported', ...done, input: null, processedAt: clock.now() })
      .where('importId', '=', importId)
      .where('rowNumber', '=', rowNumber)
      .where('status', '=', 'pending')
      .execute();
  }

  async function markFailed(importId: string, rowNumber: number, err: DomainError) {
    await db
      .updateTable('bulkImportRow')
      .set({ status: 'failed', input: null, errors: JSON.stringify(rowErrorsOf(err)), processedAt: clock.now() })
      .where('importId', '=', importId)
      .where('rowNumber', '=', rowNumber)
      .where('status', '=', 'pending')
      .execute();
  }

  /** One row through the form's own path (`registerProfessional`, or the request's creation). */
  async function processRow(imp: { id: string; mode: string; ejFiness: string; actorId: string; actorKind: string; egScope: string[] }, row: { rowNumber: number; input: StoredRow }) {
    const actor: Actor = { id: imp.actorId, kind: imp.actorKind };
    const { checked: _checked, ...input } = row.input;
    const key = rowKey(imp.id, row.rowNumber);
    try {
      if (imp.mode === 'pending') {
        // The request and the row's mark commit together: a crash leaves the row done or to do.
        await db.transaction().execute(async (trx) => {
          const requestId = await createRequestFromFile(trx, clock.now(), actor, {
            idempotencyKey: key,
            ejFiness: imp.ejFiness,
            // The queue is scoped on this column: the normalized number, as the check read it.
            egFiness: normalizedFiness(input.situation.egFiness!),
            etatCivil: input.etatCivil,
            contact: input.contact,
            situation: input.situation,
          });
          await markImported(trx, imp.id, row.rowNumber, { requestId });
        });
      } else {
        const result = await register.registerProfessional(
          actor,
          imp.egScope,
          { ...input, idempotencyKey: key },
          { within: (trx, r) => markImported(trx, imp.id, row.rowNumber, { rpps: r.rpps }) },
        );
        // Already registered by an earlier attempt (the key answered without a new transaction).
        await markImported(db, imp.id, row.rowNumber, { rpps: result.rpps });
      }
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      // The register changed since the check (a duplicate registered meanwhile): the row fails alone.
      await markFailed(imp.id, row.rowNumber, err);
    }
  }

  /** Processes the next `batchSize` pending rows (default: the configured size); returns the rows still pending. */
  async function processBatch(importId: string, options: { limit?: number; onRow?: (rowNumber: number) => void } = {}): Promise<{ processed: number; pending: number }> {
    const imp = await db.selectFrom('bulkImport').selectAll().where('id', '=', importId).executeTakeFirst();
    if (!imp || imp.status === 'done') return { processed: 0, pending: 0 };
    const rows = (
      await db
        .selectFrom('bulkImportRow')
        .select(['rowNumber', 'input'])
        .where('importId', '=', importId)
        .where('status', '=', 'pending')
        .orderBy('rowNumber')
        .limit(options.limit ?? config.bulkImport.batchSize)
        .execute()
    ).map((r) => ({ rowNumber: r.rowNumber, input: r.input as StoredRow }));

    if (imp.mode === 'pending') {
      for (const row of rows) {
        await processRow(imp, row);
        options.onRow?.(row.rowNumber);
      }
    } else if (rows.length > 0) {
      // Sets of rows born on neighbouring days (a set's birth-date locks seldom wait for the other
      // lane's), registered by two lanes at once on two connections: while one lane's statements
      // run in the database, the other builds its rows (issue 18). The batch is shared between
      // the lanes whatever its size (at most `setSize` rows a set), so both always work.
      const byBirthDate = [...rows].sort((a, b) => (a.input.etatCivil.birthDate ?? '').localeCompare(b.input.etatCivil.birthDate ?? '') || a.rowNumber - b.rowNumber);
      const size = Math.min(setSize, Math.ceil(byBirthDate.length / lanes));
      const sets = Array.from({ length: Math.ceil(byBirthDate.length / size) }, (_, i) => byBirthDate.slice(i * size, (i + 1) * size));
      let next = 0;
      let stopped = false;
      const lane = async () => {
        // Each lane its own lookups: the contacts in use are read per set.
        const lookups = await loadImportLookups(db, rows.map((r) => r.input));
        for (let set = sets[next++]; set && !stopped; set = sets[next++]) {
          try {
            await registerSet(imp, set, lookups, options.onRow);
          } catch (err) {
            stopped = true;
            throw err;
          }
        }
      };
      // Both lanes end before the batch does (a crash of one leaves no work running behind it).
      const ended = await Promise.allSettled(Array.from({ length: Math.min(lanes, sets.length) }, lane));
      const crashed = ended.find((e) => e.status === 'rejected');
      if (crashed) throw crashed.reason;
    }

    const pending = await countPending(importId);
    if (pending === 0) {
      await db.updateTable('bulkImport').set({ status: 'done', finishedAt: clock.now(), updatedAt: clock.now() }).where('id', '=', importId).where('status', '=', 'committing').execute();
    } else {
      await db.updateTable('bulkImport').set({ updatedAt: clock.now() }).where('id', '=', importId).execute();
    }
    return { processed: rows.length, pending };
  }

  /** One set in one transaction; refused by the database, its rows go one by one. */
  async function registerSet(imp: Parameters<typeof processRow>[0], set: Array<{ rowNumber: number; input: StoredRow }>, lookups: ImportLookups, onRow?: (rowNumber: number) => void) {
    try {
      await db.transaction().execute((trx) => registerBatch(trx, { ...deps, lookups }, imp, set, onRow));
    } catch (err) {
      // A database refusal (a contact or identity raced by a single registration) rolled the set
      // back: its rows go one by one through the form's path, which names the culprit.
      if (!isDatabaseError(err)) throw err;
      for (const row of set) {
        await processRow(imp, row);
        onRow?.(row.rowNumber);
      }
    }
  }

  async function countPending(importId: string) {
    const r = await db
      .selectFrom('bulkImportRow')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('importId', '=', importId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  return { processBatch };
}

/** Sets of a batch registered at once, each on its own connection. */
const lanes = 2;

/** A refusal of the database itself (a constraint: class 23), not a crash of the process or the connection. */
function isDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('23');
}
