import { type Kysely, type Selectable, sql } from 'kysely';
import { auditRows } from '../../audit.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { DB } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { JobQueue } from '../../jobs/index.ts';
import { type MailService, queueMails } from '../../mail/service.ts';
import { findDuplicateCandidatesOfMany } from '../register/duplicate-batch.ts';
import { classifyCandidates, duplicateDecision, inScope } from '../register/duplicate-candidates.ts';
import { duplicateProbe } from '../register/duplicates.ts';
import { EgOutOfScopeError, RegisterValidationError } from '../register/errors.ts';
import { registrationMailIntent } from '../register/mails.ts';
import { personCreatedAudit, personValues, personVersionValues, situationCreatedAudit, situationValues } from '../register/registration-rows.ts';
import { allocateRppsBlock } from '../register/rpps.ts';
import { publishedPayload } from '../register/situation-view.ts';
import type { Actor, Contact, EgScope, EtatCivil, Situation } from '../register/types.ts';
import { createRegisterValidation } from '../register/validation.ts';
import { columnOf } from './columns.ts';
import { insertMany } from '../../db/insert-many.ts';
import type { ImportLookups } from './lookups.ts';
import { withoutJit } from './planner.ts';
import { type CheckedValues, type RowError, rowKey, type StoredRow } from './model.ts';

/** A row's errors for the report, from the register's refusal (its pointers are the form's, under /body). */
export function rowErrorsOf(err: DomainError): RowError[] {
  return err.errors.length > 0 ? err.errors.map((e) => ({ column: columnOf(e.pointer.replace(/^\/body/, '')), detail: e.detail })) : [{ column: '', detail: err.detail }];
}

export interface RegisterBatchDeps {
  clock: Clock;
  config: Pick<Config, 'rppsRange'> & Partial<Pick<Config, 'publicUrl'>>;
  jobs?: JobQueue;
  /** Already the bulk mail service (its mails queue behind the transactional ones). */
  mail?: MailService;
  lookups: ImportLookups;
  steps?: (step: string, ms: number) => void;
}

interface Ready {
  rowNumber: number;
  key: string;
  e: EtatCivil;
  c: Contact;
  s: Situation;
}

/**
 * Registers pending rows set-based (at most `setSize`: one statement stays under PostgreSQL's
 * 65,535 parameters), in ONE transaction: exactly what
 * `registerProfessional` does for each row (same checks, same rows, same audit, event, mail and
 * identity-check job), with one statement per step for the whole batch: the idempotency keys
 * claimed together (a concurrent worker waits, then finds them taken and only marks the rows), the
 * birth-date locks taken together, one duplicate query, one sequence call for the numbers, one
 * multi-row insert per table, one update marking the rows. A crash leaves the whole batch done or
 * to do. A row refused by the register (a duplicate registered since the check, a contact now
 * used) ends `failed` with the register's message. Any database error (a unique violation raced
 * by a single registration) rolls the batch back: the caller then registers its rows one by one.
 */
export async function registerBatch(
  trx: Kysely<DB>,
  deps: RegisterBatchDeps,
  imp: { id: string; actorId: string; actorKind: string; egScope: EgScope },
  rows: readonly { rowNumber: number; input: StoredRow }[],
  onRow?: (rowNumber: number) => void,
): Promise<void> {
  const { clock, config, lookups } = deps;
  const actor: Actor = { id: imp.actorId, kind: imp.actorKind };
  const now = clock.now();
  const imported: Array<{ row_number: number; rpps: string }> = [];
  const failed: Array<{ row_number: number; errors: RowError[] }> = [];
  const fail = (rowNumber: number, err: DomainError) => failed.push({ row_number: rowNumber, errors: rowErrorsOf(err) });
  // The time of each step since the previous one (deps.steps: the bench's step timings).
  let lapStart = performance.now();
  const lap = (step: string) => {
    if (!deps.steps) return;
    const at = performance.now();
    deps.steps(step, at - lapStart);
    lapStart = at;
  };

  // No JIT for this transaction's statements (planner.ts: it cost more than the duplicate query).
  await withoutJit(trx);

  // 1. The idempotency keys: rows another attempt already registered are only marked.
  const keys = rows.map((r) => rowKey(imp.id, r.rowNumber));
  const claimed = new Set(
    (
      await trx
        .insertInto('registrationSubmission')
        .values(keys.map((idempotencyKey) => ({ actorId: actor.id, idempotencyKey, createdAt: now })))
        .onConflict((oc) => oc.columns(['actorId', 'idempotencyKey']).doNothing())
        .returning('idempotencyKey')
        .execute()
    ).map((r) => r.idempotencyKey),
  );
  const earlier = keys.filter((k) => !claimed.has(k));
  if (earlier.length > 0) {
    const done = await trx.selectFrom('registrationSubmission').select(['idempotencyKey', 'rpps']).where('actorId', '=', actor.id).where('idempotencyKey', 'in', earlier).execute();
    const byKey = new Map(done.map((d) => [d.idempotencyKey, d.rpps]));
    for (const r of rows) {
      const rpps = byKey.get(rowKey(imp.id, r.rowNumber));
      if (rpps) imported.push({ row_number: r.rowNumber, rpps });
    }
  }
  lap('claim');

  // 2. The register's rules, in memory (the contacts in use read for the batch, after the claim).
  // A row the commit checked holds the normalized values: only what may have changed since is
  // checked again — the contacts (another person may use them now), the codes, the EG and the
  // start date of the day, the scope; the duplicates below. Anything else (a contact now in use,
  // a row committed before the commit kept its values) goes through the form's whole check.
  const todo = rows.filter((r) => claimed.has(rowKey(imp.id, r.rowNumber)));
  const validation = createRegisterValidation({ db: trx, clock, lookups: lookups.lookups });
  const inUse = lookups.lookups.contactInUse!;
  const checkRow = async ({ rowNumber, input }: (typeof todo)[number]): Promise<{ rowNumber: number; ready?: Ready; error?: DomainError }> => {
    const egFiness = input.situation.egFiness;
    const finess = egFiness ? lookups.finessOf(egFiness) : undefined;
    if (finess && !inScope(imp.egScope, finess)) return { rowNumber, error: new EgOutOfScopeError('/body/situation/egFiness') };
    if (input.checked) {
      const { etatCivil: e, contact: c, situation } = input as CheckedValues;
      const emailUsed = inUse('email', c.email);
      if (!inUse('mobile', c.mobile) && !emailUsed) {
        const st = await validation.checkSituation(situation, '/body/situation', { birthDate: e.birthDate });
        if (st.value) return { rowNumber, ready: { rowNumber, key: rowKey(imp.id, rowNumber), e, c, s: st.value } };
      }
    }
    const { checked: _checked, ...values } = input;
    const { etatCivil: ec, contact: ct, situation: st, errors } = await validation.checkRegistration(values);
    if (errors.length > 0) return { rowNumber, error: new RegisterValidationError(errors) };
    return { rowNumber, ready: { rowNumber, key: rowKey(imp.id, rowNumber), e: ec.value!, c: ct.value!, s: st.value! } };
  };
  let ready: Ready[] = [];
  for (const checked of await lookups.checkAll(todo, checkRow, trx)) {
    if (checked.ready) ready.push(checked.ready);
    else fail(checked.rowNumber, checked.error!);
  }
  lap('re-check');

  // 3. Registrations of people born the same day are serialized (as the form's), locks in one order.
  const dates = [...new Set(ready.map((r) => `person-birth:${r.e.birthDate}`))];
  if (dates.length > 0) {
    await sql`SELECT pg_advisory_xact_lock(h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(${dates}::text[]) AS k ORDER BY 1) AS locks`.execute(trx);
  }
  lap('locks');
  const candidates = await findDuplicateCandidatesOfMany(trx, ready.map((r) => duplicateProbe(r.e)));
  lap('duplicate query');
  ready = ready.filter((r, i) => {
    try {
      duplicateDecision(classifyCandidates(r.e, candidates.get(i) ?? [], imp.egScope), {});
      return true;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      fail(r.rowNumber, err);
      return false;
    }
  });
  lap('duplicate decision');

  // 4. The writes, one statement per table.
  if (ready.length > 0) {
    const numbers = await allocateRppsBlock(trx, config.rppsRange, now, ready.length);
    lap('numbers');
    // One statement per table, one array parameter per column (insert-many.ts).
    const persons = await insertMany<{ id: string; rpps: string; identityStatus: string }>(
      trx,
      'person',
      ready.map((r, i) => personValues({ rpps: numbers[i]!, etatCivil: r.e, contact: r.c, identityDocumentId: null, contactEjFiness: lookups.structures.get(r.s.egFiness)?.ejFiness ?? null, toReview: false, actor, at: now })),
      ['id', 'rpps', 'identityStatus'],
    );
    lap('person');
    const personOf = new Map(persons.map((p) => [p.rpps, p]));
    const rowsOut = ready.map((r, i) => ({ ...r, rpps: numbers[i]!, person: personOf.get(numbers[i]!)! }));
    await insertMany(trx, 'personVersion', rowsOut.map((r) => personVersionValues({ personId: r.person.id, etatCivil: r.e, contact: r.c, identityStatus: r.person.identityStatus, actor, at: now })));
    lap('person history');
    const situations = await insertMany<Selectable<DB['situation']>>(trx, 'situation', rowsOut.map((r) => situationValues({ personId: r.person.id, situation: r.s, actor, at: now })), ['*']);
    const situationOf = new Map(situations.map((s) => [s.personId, s]));
    const done = rowsOut.map((r) => ({ ...r, situation: situationOf.get(r.person.id)! }));
    lap('situation');
    await insertMany(trx, 'auditEvent', auditRows([
      ...done.map((r) => personCreatedAudit({ personId: r.person.id, rpps: r.rpps, identityStatus: r.person.identityStatus, notDuplicateOf: [], outOfScopeCandidates: 0, actor, at: now })),
      ...done.map((r) => situationCreatedAudit(r.situation, actor, now)),
    ]));
    lap('audit');
    await insertMany(
      trx,
      'registerEvent',
      done.map((r) => ({ type: 'registration.created', personId: r.person.id, situationId: r.situation.id, payload: JSON.stringify(publishedPayload(r.rpps, r.situation)), occurredAt: now })),
    );
    lap('events');
    await sql`UPDATE registration_submission AS s SET person_id = d.person_id::uuid, rpps = d.rpps, situation_id = d.situation_id::uuid
      FROM jsonb_to_recordset(${JSON.stringify(done.map((r) => ({ key: r.key, person_id: r.person.id, rpps: r.rpps, situation_id: r.situation.id })))}::jsonb)
        AS d(key text, person_id text, rpps text, situation_id text)
      WHERE s.actor_id = ${actor.id} AND s.idempotency_key = d.key`.execute(trx);
    lap('submissions');
    // Outbox: the mails (number + e-CPS activation) and the identity checks commit with the persons;
    // a mail is stored as its template and summary, rendered by the mail job when sent.
    if (deps.mail) {
      await queueMails(
        deps.mail,
        trx,
        done.map((r) => {
          const eg = lookups.structures.get(r.s.egFiness);
          const summary = {
            rpps: r.rpps,
            email: r.c.email,
            mobile: r.c.mobile,
            egFiness: r.s.egFiness,
            egName: eg?.name ?? null,
            profession: lookups.label('profession', r.s.professionCode) ?? r.s.professionCode,
            role: lookups.label('role', r.s.roleCode) ?? r.s.roleCode,
            exerciseLastName: r.s.exerciseLastName,
            exerciseFirstName: r.s.exerciseFirstName,
          };
          return { mail: registrationMailIntent({ to: r.c.email, summary, publicUrl: config.publicUrl }), dedupeKey: `registration-created:${r.person.id}` };
        }),
      );
    }
    lap('mails');
    if (deps.jobs) {
      const payloads = done.map((r) => ({ personId: r.person.id }));
      if (deps.jobs.enqueueMany) await deps.jobs.enqueueMany(trx, 'register.verify-identity', payloads);
      else for (const p of payloads) await deps.jobs.enqueue(trx, 'register.verify-identity', p);
    }
    lap('identity jobs');
    for (const r of done) imported.push({ row_number: r.rowNumber, rpps: r.rpps });
  }

  // 5. The rows' marks, in the same transaction; the failed rows' claims are released.
  const failedKeys = failed.map((f) => rowKey(imp.id, f.row_number));
  if (failedKeys.length > 0) {
    await trx.deleteFrom('registrationSubmission').where('actorId', '=', actor.id).where('idempotencyKey', 'in', failedKeys).execute();
  }
  if (imported.length > 0) {
    await sql`UPDATE bulk_import_row AS r SET status = 'imported', rpps = d.rpps, input = NULL, processed_at = ${now}
      FROM jsonb_to_recordset(${JSON.stringify(imported)}::jsonb) AS d(row_number int, rpps text)
      WHERE r.import_id = ${imp.id} AND r.row_number = d.row_number AND r.status = 'pending'`.execute(trx);
  }
  if (failed.length > 0) {
    await sql`UPDATE bulk_import_row AS r SET status = 'failed', input = NULL, errors = d.errors, processed_at = ${now}
      FROM jsonb_to_recordset(${JSON.stringify(failed)}::jsonb) AS d(row_number int, errors jsonb)
      WHERE r.import_id = ${imp.id} AND r.row_number = d.row_number AND r.status = 'pending'`.execute(trx);
  }
  lap('marks');
  for (const r of rows) onRow?.(r.rowNumber);
}
