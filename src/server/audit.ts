import type { Kysely } from 'kysely';
import type { Actor } from './auth/actor.ts';
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

/** Checked at run time too: values built from rows (spread, casts) escape the type check. */
function assertNoPersonalData(action: string, value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertNoPersonalData(action, v, `${path}[${i}]`));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, v] of Object.entries(value)) {
    if (forbidden.has(key) && v !== undefined) throw new AuditPersonalDataError(action, `${path}.${key}`);
    assertNoPersonalData(action, v, `${path}.${key}`);
  }
}

const json = (values: AuditValues | null | undefined) => (values == null ? null : JSON.stringify(values));

/** Writes one `audit_event` row; pass the transaction of the change so both commit together. */
export async function recordAudit(executor: Kysely<DB>, entry: AuditEntry): Promise<void> {
  assertNoPersonalData(entry.action, entry.before, 'before');
  assertNoPersonalData(entry.action, entry.after, 'after');
  await executor
    .insertInto('auditEvent')
    .values({
      at: entry.at,
      actorId: entry.actor.id,
      actorKind: entry.actor.kind,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: json(entry.before),
      after: json(entry.after),
    })
    .execute();
}
