import { CompiledQuery, type Kysely } from 'kysely';
import type { Actor } from './auth/actor.ts';
import { createBatcher } from './db/batcher.ts';
import { preparedStatement } from './db/prepared.ts';
import type { DB } from './db/schema.ts';
import { contactFields, etatCivilFields } from './personal-data.ts';

/**
 * The audit trail (`audit_event`): who did what, when, on which entity, with the before/after
 * values of what changed. Every module writes it through `recordAudit`, in the transaction of the
 * change it records.
 */

/** Who acts, as written to the audit trail: an opaque id (`account:<id>`, `api-key:<id>`, `job:…`), never a name. */
export interface AuditActor {
  id: string;
  kind: string;
}

/** The audit actor of a request's actor: its account or API key id, never its name or IDNPS. */
export const auditActorOf = (actor: Actor): AuditActor => {
  if (actor.kind === 'person') return { id: `account:${actor.accountId}`, kind: 'person' };
  if (actor.kind === 'machine') return { id: `api-key:${actor.apiKeyId}`, kind: 'machine' };
  return { id: 'anonymous', kind: 'anonymous' };
};

/**
 * Fields that must never reach the audit trail: état civil, contact and secrets (STYLE.md §13,
 * docs/register.md). The trail says *that* they changed (the action), never their values.
 */
export const forbiddenAuditFields = [...etatCivilFields, ...contactFields, 'password', 'secret', 'token', 'code', 'codeHash', 'apiKey'] as const;
type ForbiddenAuditField = (typeof forbiddenAuditFields)[number];
const forbidden = new Set<string>(forbiddenAuditFields);

type AuditScalar = string | number | boolean | null | undefined;
export type AuditValue = AuditScalar | readonly AuditValue[] | AuditValues;
/** Before/after values: published or technical data only; the forbidden fields do not type-check. */
export type AuditValues = { readonly [K in ForbiddenAuditField]?: never } & { readonly [key: string]: AuditValue };

export interface AuditEntry {
  at: Date;
  actor: AuditActor;
  /** `<entity>.<verb>`, e.g. `situation.create`, `person.contact-change.email`. */
  action: string;
  entityType: string;
  entityId: string;
  before?: AuditValues | null;
  after?: AuditValues | null;
}

export class AuditPersonalDataError extends Error {
  constructor(action: string, path: string) {
    super(`Audit entry ${action}: ${path} must not be written to the audit trail.`);
    this.name = 'AuditPersonalDataError';
  }
}

/** The path of the first forbidden field in `value` (built only on the way back from a find: no string per element). */
function forbiddenPathIn(value: object, depth = 0): string | undefined {
  if (depth > 64) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (v !== null && typeof v === 'object') {
        const found = forbiddenPathIn(v, depth + 1);
        if (found !== undefined) return `[${i}]${found}`;
      }
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    const v: unknown = (value as Record<string, unknown>)[key];
    if (v === undefined) continue;
    if (forbidden.has(key)) return `.${key}`;
    if (v !== null && typeof v === 'object') {
      const found = forbiddenPathIn(v, depth + 1);
      if (found !== undefined) return `.${key}${found}`;
    }
  }
  return undefined;
}

/** Checked at run time too: values built from rows (spread, casts) escape the type check. */
function assertNoPersonalData(action: string, value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  const found = forbiddenPathIn(value);
  if (found !== undefined) throw new AuditPersonalDataError(action, `${path}${found}`);
}

const json = (values: AuditValues | null | undefined) => (values == null ? null : JSON.stringify(values));

function auditRow(entry: AuditEntry) {
  assertNoPersonalData(entry.action, entry.before, 'before');
  assertNoPersonalData(entry.action, entry.after, 'after');
  return {
    at: entry.at,
    actorId: entry.actor.id,
    actorKind: entry.actor.kind,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: json(entry.before),
    after: json(entry.after),
  };
}

/**
 * The checked `audit_event` rows of entries, for a caller that writes them inside a larger
 * statement of its transaction (e.g. a registration written as one statement of CTEs).
 */
export const auditRows = (entries: AuditEntry[]) => entries.map(auditRow);

/** Writes one `audit_event` row; pass the transaction of the change so both commit together. */
export async function recordAudit(executor: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await executor.insertInto('auditEvent').values(auditRow(entry)).execute();
}

/** Writes many `audit_event` rows in one statement per thousand (a bulk import's batch), in the caller's transaction. */
export async function recordAudits(executor: Kysely<DB>, entries: readonly AuditEntry[]): Promise<void> {
  const rows = entries.map(auditRow);
  for (let i = 0; i < rows.length; i += 1000) await executor.insertInto('auditEvent').values(rows.slice(i, i + 1000)).execute();
}

/**
 * Any number of `audit_event` rows in one statement of fixed text: the rows as one JSON array
 * (`json_to_recordset`), before/after values inside it as they are (one `JSON.stringify` for the
 * whole group). Its text never changes, so it is compiled once and runs as a prepared statement
 * on PostgreSQL (planned once per connection), whatever the number of rows — where a multi-row
 * `VALUES` would be a new statement (and a new Kysely compilation) for every count.
 */
const insertAuditRows = preparedStatement(
  'insert into audit_event (at, actor_id, actor_kind, action, entity_type, entity_id, before, after) ' +
    'select at, actor_id, actor_kind, action, entity_type, entity_id, before, after from json_to_recordset($1::json) ' +
    'as r(at timestamptz, actor_id text, actor_kind text, action text, entity_type text, entity_id text, before jsonb, after jsonb)',
);

/** An entry checked (no personal data) and shaped as a row of `insertAuditRows`. */
function recordsetRow(entry: AuditEntry) {
  assertNoPersonalData(entry.action, entry.before, 'before');
  assertNoPersonalData(entry.action, entry.after, 'after');
  return {
    at: entry.at,
    actor_id: entry.actor.id,
    actor_kind: entry.actor.kind,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before: entry.before ?? null,
    after: entry.after ?? null,
  };
}
type RecordsetRow = ReturnType<typeof recordsetRow>;

/**
 * Group commit of audit rows that belong to no business transaction (a read audited, such as an
 * access decision). No timer: the rows recorded in the same turn of the event loop are written at
 * once by one INSERT; while `maxConcurrentWrites` INSERTs are in flight, new rows wait and the
 * next INSERT takes all of them (up to `maxRows`), so the batches grow with the load and a lone
 * call waits for nothing but its own INSERT. `maxDelayMs` (default 0) adds a gathering delay
 * before an INSERT (the grouping is src/server/db/batcher.ts). The INSERT is one prepared statement
 * of fixed text (`json_to_recordset` of one JSON array), whatever its number of rows.
 *
 * Guarantee: `record` resolves only once its row is committed (on PostgreSQL with the default
 * `synchronous_commit`, flushed to the WAL on disk), so the caller answers only what is audited.
 * A crash loses at most the rows of calls still waiting — none of them was answered (their
 * callers get an error and ask again) — never the row of an answer given. A failed INSERT rejects
 * every `record` of its batch.
 */
export function createAuditWriter(db: Kysely<DB>, options: { maxDelayMs?: number; maxRows?: number; maxConcurrentWrites?: number } = {}) {
  const writes = createBatcher<RecordsetRow, void>(
    async (rows) => {
      await db.executeQuery(CompiledQuery.raw(insertAuditRows, [JSON.stringify(rows)]));
      return rows.map(() => undefined);
    },
    { maxDelayMs: options.maxDelayMs ?? 0, maxSize: options.maxRows ?? 500, maxConcurrent: options.maxConcurrentWrites ?? 2 },
  );
  return {
    /** Resolves once the entry's row is committed. */
    record: (entry: AuditEntry): Promise<void> => writes.call(recordsetRow(entry)),
    /** Writes what waits and waits for the writes in flight (at shutdown). */
    close: () => writes.close(),
  };
}
export type AuditWriter = ReturnType<typeof createAuditWriter>;
