import { randomUUID } from 'node:crypto';
import { CompiledQuery, type Insertable, type Kysely, sql } from 'kysely';
import { preparedStatement } from '../../db/prepared.ts';
import { type AuditEntry, auditRows } from '../../audit.ts';
import type { DB, PersonTable, SituationTable } from '../../db/schema.ts';
import { RppsRangeExhaustedError } from './errors.ts';
import { type DuplicateProbe, duplicateCandidatesQuery, type findDuplicateCandidates } from './queries.ts';
import { allocateRpps, type RppsRange, rppsFromPayload } from './rpps.ts';

/**
 * The writes of one registration in as few round trips as the rules allow (issue 18: ≥ 500
 * registrations/s at 3 M persons). Before, a registration's transaction was 13 statements; now 4
 * round trips: `BEGIN` with the lock (and the idempotency claim: register-professional.ts), then
 * - `candidatesAndPreparation`: the duplicate candidates, the EG's EJ (the contact's owner) and
 *   name (the mail's summary), the next RPPS payload and a twin submission's outcome in one SELECT;
 * - `writeRegistration`: the number's ledger row, the person, its first version, the situation, the
 *   two audit rows (through `auditRows`, the audit trail's checked row builder) and the publication
 *   event in one statement (data-modifying CTEs). The ids are drawn here (UUID v4, as the column
 *   defaults), so every row can name the others without reading anything back.
 * then `COMMIT`. The rows are the very ones the step-by-step version wrote (same columns, same
 * values, same order of the audit rows); the foreign keys are checked at the end of the statement.
 * Both statements run as server-side prepared statements (db/prepared.ts).
 */

type DuplicateCandidateRow = Awaited<ReturnType<typeof findDuplicateCandidates>>[number];
type NullableColumns<T> = { [K in keyof T]: T[K] | null };

/** What the preparation read: the EG's EJ and name, and the sequence's next payload (null: number known). */
interface PreparedRow {
  ej: string | null;
  egName: string | null;
  v: string | number | null;
  /** The outcome of the same submission (idempotency key) committed by a twin, if any. */
  donePersonId: string | null;
  doneRpps: string | null;
  doneSituationId: string | null;
}

/** The idempotency key of a submission: its twin's committed outcome is read with the candidates. */
export interface SubmissionKey {
  actorId: string;
  idempotencyKey: string;
}

/**
 * The duplicate candidates of a registration (`findDuplicateCandidates`' rows) and what it needs
 * to be written, in one statement: the EG's EJ (the contact's owner) and name (the mail's summary)
 * and the next RPPS payload. The payload is drawn even when a duplicate then refuses the
 * registration: a sequence value is never handed out twice, a gap is harmless.
 */
export async function candidatesAndPreparation(
  trx: Kysely<DB>,
  probe: DuplicateProbe,
  egFiness: string,
  range: RppsRange,
  at: Date,
  knownRpps: string | undefined,
  submission?: SubmissionKey,
) {
  const query = candidatesStatement(trx, probe, egFiness, knownRpps, submission);
  // A server-side prepared statement (db/prepared.ts): planning it cost PostgreSQL about as much as
  // running it (0.25 + 0.33 ms at 3 M persons). Its text has one shape per number of family names.
  const { rows } = await trx.executeQuery(CompiledQuery.raw(preparedStatement(query.sql), [...query.parameters]) as CompiledQuery<PreparedRow & NullableColumns<DuplicateCandidateRow>>);
  const candidates = rows.flatMap(({ ej: _ej, egName: _egName, v: _v, donePersonId: _p, doneRpps: _r, doneSituationId: _s, ...c }) => (c.id === null ? [] : [c as DuplicateCandidateRow]));
  const first = rows[0]!;
  const earlier = first.doneRpps ? { personId: first.donePersonId!, rpps: first.doneRpps, situationId: first.doneSituationId! } : undefined;
  return { candidates, earlier, prepare: () => preparedFrom(trx, first, range, at, knownRpps) };
}

/** The candidates' statement built by Kysely (`candidatesStatement` does it once per shape). */
export function compileCandidates(trx: Kysely<DB>, probe: DuplicateProbe, egFiness: string, knownRpps: boolean, submission: SubmissionKey) {
  // One row per candidate (the preparation repeated), or one row without a candidate (LEFT JOIN).
  // Without a key, the submission's join finds nothing (one statement shape).
  return sql<PreparedRow & NullableColumns<DuplicateCandidateRow>>`
    SELECT prep.ej, prep.eg_name, prep.v, done.person_id AS done_person_id, done.rpps AS done_rpps, done.situation_id AS done_situation_id, c.*
      FROM (${preparationQuery(egFiness, knownRpps)}) AS prep
      LEFT JOIN registration_submission AS done
        ON done.actor_id = ${submission.actorId} AND done.idempotency_key = ${submission.idempotencyKey} AND done.rpps IS NOT NULL
      LEFT JOIN LATERAL (${duplicateCandidatesQuery(trx, probe)}) AS c ON true`.compile(trx);
}

/** The candidates' compiled statement: built by Kysely once per shape (number of family names, number known or not). */
export function candidatesStatement(trx: Kysely<DB>, probe: DuplicateProbe, egFiness: string, knownRpps: string | undefined, submission: SubmissionKey | undefined) {
  const leaves: unknown[] = [];
  const slot = <T>(v: T) => new Slot(leaves.push(v) - 1) as unknown as T;
  const slotted: DuplicateProbe = {
    birthDate: slot(probe.birthDate),
    slipDates: slot(probe.slipDates.length === 0 ? [probe.birthDate] : probe.slipDates),
    familyKeys: probe.familyKeys.map(slot),
    familyText: slot(probe.familyText),
    firstNameKeys: slot(probe.firstNameKeys),
  };
  const key = `${knownRpps ? 'K' : 'k'}|${probe.familyKeys.length}`;
  const args = [slot(egFiness), { actorId: slot(submission?.actorId ?? ''), idempotencyKey: slot(submission?.idempotencyKey ?? '') }] as const;
  return boundByPlace(candidatesShapes, key, leaves, () => compileCandidates(trx, slotted, args[0], knownRpps !== undefined, args[1]));
}
const candidatesShapes: Shapes = new Map();

/** The EG's EJ (the contact's owner) and name and, unless the number is known, the next RPPS number. */
const preparationQuery = (egFiness: string, knownRpps: boolean) => sql`
    SELECT eg.ej_finess AS ej, eg.name AS eg_name,
           ${knownRpps ? sql`NULL::bigint` : sql`nextval('rpps_payload_seq')`} AS v
      FROM (SELECT 1) AS one LEFT JOIN structure AS eg ON eg.finess = ${egFiness}`;

async function preparedFrom(trx: Kysely<DB>, row: PreparedRow, range: RppsRange, at: Date, knownRpps: string | undefined) {
  const contactEjFiness = row.ej ?? null;
  const egName = row.egName ?? null;
  if (knownRpps) return { contactEjFiness, egName, rpps: knownRpps };
  const payload = Number(row.v);
  // Below the range (first start with a new range): the locked path of allocateRpps moves the
  // sequence once and writes the ledger row itself. The value drawn here is left unused (a
  // sequence value is never handed out twice; a gap is harmless).
  if (payload < range.start) return { contactEjFiness, egName, rpps: await allocateRpps(trx, range, at), ledgerWritten: true };
  if (payload > range.end) throw new RppsRangeExhaustedError(range.end);
  return { contactEjFiness, egName, rpps: rppsFromPayload(payload) };
}

export interface RegistrationWrite {
  at: Date;
  /** The ledger row of the number is written unless the preparation already did (`allocateRpps`). */
  ledgerWritten?: boolean;
  person: Omit<Insertable<PersonTable>, 'id'>;
  /** `person_version` 1 (`after`: JSON). */
  version: { actorId: string; actorKind: string; after: string };
  situation: Omit<Insertable<SituationTable>, 'id' | 'personId'>;
  /** Audit entries of the person and of the situation, `entityId` filled in here. */
  audit: { person: Omit<AuditEntry, 'entityId'>; situation: Omit<AuditEntry, 'entityId'> };
  /** The publication event (register_event). */
  event: { type: string; payload: (ids: { personId: string; situationId: string }) => Record<string, unknown> };
  /** Completes the idempotency claim of the submission, when there is one. */
  submission?: { actorId: string; idempotencyKey: string };
}

/** One statement: ledger, person, version, situation, audit rows, event (and the submission's outcome). */
export async function writeRegistration(trx: Kysely<DB>, w: RegistrationWrite): Promise<{ personId: string; situationId: string }> {
  const personId = randomUUID();
  const situationId = randomUUID();
  const query = writeStatement(trx, w, personId, situationId);
  // Prepared too (a few shapes: ledger written or not, idempotency key or not, identity to review or not).
  const { rows } = await trx.executeQuery(CompiledQuery.raw(preparedStatement(query.sql), [...query.parameters]));
  if (rows.length !== 1) throw new Error('registration not written');
  return { personId, situationId };
}

/**
 * A value of the write by its place among the leaves (`leavesOf`): the statement is built and
 * compiled by Kysely once per shape with these in place of the values, which tells which value
 * each parameter is; the next writes of that shape bind their values to the same text without
 * building it again (its building and compiling were a tenth of a registration's Node CPU).
 */
class Slot {
  readonly n: number;
  constructor(n: number) {
    this.n = n;
  }
}

interface WriteValues {
  personId: string;
  situationId: string;
  rpps: string;
  at: Date;
  versionActorId: string;
  versionActorKind: string;
  versionAfter: string;
  eventType: string;
  eventPayload: string;
  person: Record<string, unknown>;
  situation: Record<string, unknown>;
  audit: Record<string, unknown>[];
  submission?: { actorId: string; idempotencyKey: string };
}

/**
 * The values of a write as leaves in a fixed order, the same values with each leaf replaced by its
 * `Slot`, and the shape: what changes the statement's text (the columns given, the ledger row
 * written before, an idempotency key).
 */
function leavesOf(w: RegistrationWrite, personId: string, situationId: string) {
  const leaves: unknown[] = [];
  const slot = (v: unknown) => new Slot(leaves.push(v) - 1);
  const slots = (row: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(row)) {
      const value = row[key];
      // A Kysely expression would be part of the text, not a parameter: none is expected here.
      if (typeof (value as { toOperationNode?: unknown } | null)?.toOperationNode === 'function') throw new Error(`registration write: expression in ${key}`);
      out[key] = value === undefined ? undefined : slot(value);
    }
    return out;
  };
  const shape = (row: Record<string, unknown>) => Object.keys(row).filter((k) => row[k] !== undefined).join(',');
  const audit = auditRows([
    { ...w.audit.person, entityId: personId },
    { ...w.audit.situation, entityId: situationId },
  ]);
  const person = { ...w.person, id: personId } as Record<string, unknown>;
  const situation = { ...w.situation, id: situationId, personId } as Record<string, unknown>;
  const { submission } = w;
  const slotted: WriteValues = {
    personId: slot(personId) as unknown as string,
    situationId: slot(situationId) as unknown as string,
    rpps: slot(w.person.rpps) as unknown as string,
    at: slot(w.at) as unknown as Date,
    versionActorId: slot(w.version.actorId) as unknown as string,
    versionActorKind: slot(w.version.actorKind) as unknown as string,
    versionAfter: slot(w.version.after) as unknown as string,
    eventType: slot(w.event.type) as unknown as string,
    eventPayload: slot(JSON.stringify(w.event.payload({ personId, situationId }))) as unknown as string,
    person: slots(person),
    situation: slots(situation),
    audit: audit.map((row) => slots(row)),
    submission: submission && {
      actorId: slot(submission.actorId) as unknown as string,
      idempotencyKey: slot(submission.idempotencyKey) as unknown as string,
    },
  };
  const key = [w.ledgerWritten ? 'L' : 'l', submission ? 'S' : 's', shape(person), shape(situation), ...audit.map(shape)].join('|');
  return { leaves, slotted, key };
}

/** Each shape's compiled text, and per parameter the leaf it takes or a constant of the text. */
type Shapes = Map<string, { sql: string; parameters: ({ leaf: number } | { constant: unknown })[] }>;
const writeShapes: Shapes = new Map();

/** A statement of `key`'s shape: compiled once (`compile`, with `Slot`s for values), `leaves` bound by place. */
function boundByPlace(shapes: Shapes, key: string, leaves: unknown[], compile: () => { sql: string; parameters: readonly unknown[] }) {
  let shape = shapes.get(key);
  if (!shape) {
    const compiled = compile();
    shape = { sql: compiled.sql, parameters: compiled.parameters.map((p) => (p instanceof Slot ? { leaf: p.n } : { constant: p })) };
    // A value that is not a parameter of its own (inside an array, in the text) would be taken as a constant.
    const used = new Set(shape.parameters.flatMap((p) => ('leaf' in p ? [p.leaf] : [])));
    if (used.size !== leaves.length) throw new Error(`compiled statement: ${leaves.length - used.size} value(s) not bound by place`);
    if (shapes.size >= 100) shapes.clear();
    shapes.set(key, shape);
  }
  return { sql: shape.sql, parameters: shape.parameters.map((p) => ('leaf' in p ? leaves[p.leaf] : p.constant)) };
}

/** The write's compiled statement: built by Kysely once per shape, the values then bound by place. */
export function writeStatement(trx: Kysely<DB>, w: RegistrationWrite, personId: string, situationId: string) {
  const { leaves, slotted, key } = leavesOf(w, personId, situationId);
  return boundByPlace(writeShapes, key, leaves, () => compileWrite(trx, slotted, w.ledgerWritten === true));
}

/** The statement built and compiled by Kysely (`writeStatement` does it once per shape). */
export function compileWrite(trx: Kysely<DB>, v: WriteValues, ledgerWritten: boolean) {
  const { personId, situationId, rpps } = v;
  let q = trx
    .with('ledger', (db) =>
      ledgerWritten ? db.selectNoFrom(sql<string>`${rpps}::char(11)`.as('rpps')) : db.insertInto('rppsNumber').values({ rpps, allocatedAt: v.at }).returning('rpps'),
    )
    .with('person_row', (db) => db.insertInto('person').values(v.person as Insertable<PersonTable>).returning('id'))
    .with('version_row', (db) =>
      db.insertInto('personVersion').values({ personId, version: 1, action: 'create', actorId: v.versionActorId, actorKind: v.versionActorKind, at: v.at, before: null, after: v.versionAfter }),
    )
    .with('situation_row', (db) => db.insertInto('situation').values(v.situation as Insertable<SituationTable>).returning('id'))
    .with('audit_rows', (db) => db.insertInto('auditEvent').values(v.audit as ReturnType<typeof auditRows>))
    .with('event_row', (db) => db.insertInto('registerEvent').values({ type: v.eventType, personId, situationId, payload: v.eventPayload, occurredAt: v.at }));
  const { submission } = v;
  if (submission) {
    q = q.with('submission_row', (db) =>
      db
        .updateTable('registrationSubmission')
        .set({ personId, rpps, situationId })
        .where('actorId', '=', submission.actorId)
        .where('idempotencyKey', '=', submission.idempotencyKey),
    ) as unknown as typeof q;
  }
  // Reading the CTEs that return rows makes the statement depend on them (they all run anyway).
  return q.selectFrom(['ledger', 'person_row', 'situation_row']).select(['person_row.id as personId', 'situation_row.id as situationId', 'ledger.rpps']).compile();
}
