import { sql } from 'kysely';
import { type AuditActor, type AuditEntry, recordAudit } from '../../audit.ts';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { IdentificationLockedError, IdentityChecksExhaustedError } from './errors.ts';

/**
 * Identity checks are an oracle over the whole register (issue 15, item 3): "is there someone
 * born on this day with this name?" (wizard step 1, bulk dry runs and commits, submission) and
 * "is this the identity behind this RPPS number?" (identify, adding a situation). Out-of-scope
 * answers carry no RPPS, name or birth year, but the answer itself remains; so every check is:
 * - counted per account or API key (`account:<id>`, `api-key:<id>`) in a fixed one-hour window,
 *   `IDENTITY_CHECKS_PER_HOUR` identities at most (a file counts its rows) → 429;
 * - audited (`identity.check`: who, what kind, how many identities, how many matches in and out
 *   of scope; never the état civil);
 * - for identifications, a run of `IDENTIFY_FAILURES_BEFORE_LOCK` failures in a row locks them for
 *   the account for `IDENTIFY_LOCK_MINUTES` → 423 (audited `identity.identify-locked`).
 * The counters are rows of `identity_check_quota` in PostgreSQL, not in process memory: an
 * attacker spreading his requests over the app instances behind the load balancer meets the
 * same budget, and a lock holds on every instance (one small row update per check).
 */
export type IdentityCheckKind = 'etat-civil-step' | 'submission' | 'identify' | 'add-situation' | 'bulk-dry-run' | 'bulk-commit';

export interface IdentityCheckOutcome {
  /** Identities looked up (rows of a file, 1 for a form). */
  identities: number;
  inScopeMatches?: number;
  outOfScopeMatches?: number;
  /** Identifications: whether the identity matched the number. */
  matched?: boolean;
}

const windowMs = 3_600_000;
const identificationKinds: readonly IdentityCheckKind[] = ['identify', 'add-situation'];

export function createIdentityChecks(deps: { db: Database; clock: Clock; config: Pick<Config, 'identityChecks'> }) {
  const { db, clock } = deps;
  const limits = deps.config.identityChecks;

  /**
   * Takes `count` checks from the subject's budget before any lookup: refused (429, or 423 while
   * identifications are locked) without touching the register.
   */
  async function consume(subject: AuditActor, kind: IdentityCheckKind, count: number): Promise<void> {
    const now = clock.now();
    if (await consumeAtOnce(subject, kind, count, now)) return;
    // Refused (or a first check asking for more than the budget): the same rules step by step, for the error and its delay.
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('identityCheckQuota')
        .values({ subject: subject.id, windowStart: now, checks: 0, updatedAt: now })
        .onConflict((oc) => oc.column('subject').doNothing())
        .execute();
      const row = await trx.selectFrom('identityCheckQuota').selectAll().where('subject', '=', subject.id).forUpdate().executeTakeFirstOrThrow();
      if (identificationKinds.includes(kind) && row.lockedUntil && new Date(row.lockedUntil) > now) {
        throw new IdentificationLockedError((new Date(row.lockedUntil).getTime() - now.getTime()) / 1000);
      }
      const fresh = now.getTime() - new Date(row.windowStart).getTime() >= windowMs;
      const used = fresh ? 0 : row.checks;
      if (used + count > limits.perHour) {
        const retry = fresh ? windowMs / 1000 : (new Date(row.windowStart).getTime() + windowMs - now.getTime()) / 1000;
        throw new IdentityChecksExhaustedError(retry);
      }
      await trx
        .updateTable('identityCheckQuota')
        .set({ checks: used + count, ...(fresh ? { windowStart: now } : {}), updatedAt: now })
        .where('subject', '=', subject.id)
        .execute();
    });
  }

  /**
   * `consume`'s rules in one statement when they let the checks through (issue 18: a wizard step
   * made five round trips for it): the row is created or its window renewed, and the checks
   * added, only if the budget allows and identifications are not locked. False: nothing changed.
   */
  async function consumeAtOnce(subject: AuditActor, kind: IdentityCheckKind, count: number, now: Date) {
    if (count > limits.perHour) return false;
    const windowEnded = sql<boolean>`identity_check_quota.window_start <= ${now}::timestamptz - ${sql.lit(`${windowMs / 1000} seconds`)}::interval`;
    const row = await db
      .insertInto('identityCheckQuota')
      .values({ subject: subject.id, windowStart: now, checks: count, updatedAt: now })
      .onConflict((oc) =>
        oc
          .column('subject')
          .doUpdateSet({
            checks: sql`CASE WHEN ${windowEnded} THEN ${count} ELSE identity_check_quota.checks + ${count} END`,
            windowStart: sql`CASE WHEN ${windowEnded} THEN ${now}::timestamptz ELSE identity_check_quota.window_start END`,
            updatedAt: now,
          })
          .where(sql<boolean>`(CASE WHEN ${windowEnded} THEN 0 ELSE identity_check_quota.checks END) + ${count} <= ${limits.perHour}`)
          .$call((q) =>
            identificationKinds.includes(kind) ? q.where(sql<boolean>`(identity_check_quota.locked_until IS NULL OR identity_check_quota.locked_until <= ${now}::timestamptz)`) : q,
          ),
      )
      .returning('subject')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The audit row of a check, then the failure run of identifications (lock after too many). */
  /** The audit entry of a check: what `record` writes alone for a check that is no identification. */
  function entryOf(subject: AuditActor, kind: IdentityCheckKind, outcome: IdentityCheckOutcome): AuditEntry {
    return { at: clock.now(), actor: subject, action: 'identity.check', entityType: 'identity-check', entityId: subject.id, after: { kind, ...outcome } };
  }

  async function record(subject: AuditActor, kind: IdentityCheckKind, outcome: IdentityCheckOutcome): Promise<void> {
    const audit = entryOf(subject, kind, outcome);
    const now = audit.at;
    // Nothing else to write: the audit row alone, without a transaction around it.
    if (!identificationKinds.includes(kind) || outcome.matched === undefined) return recordAudit(db, audit);
    await db.transaction().execute(async (trx) => {
      await recordAudit(trx, audit);
      if (outcome.matched) {
        await trx.updateTable('identityCheckQuota').set({ failedIdentifications: 0, updatedAt: now }).where('subject', '=', subject.id).execute();
        return;
      }
      const row = await trx
        .updateTable('identityCheckQuota')
        .set({ failedIdentifications: sql`failed_identifications + 1`, updatedAt: now })
        .where('subject', '=', subject.id)
        .returning('failedIdentifications')
        .executeTakeFirst();
      if (row && row.failedIdentifications >= limits.failuresBeforeLock) {
        const until = new Date(now.getTime() + limits.lockMinutes * 60_000);
        await trx.updateTable('identityCheckQuota').set({ failedIdentifications: 0, lockedUntil: until, updatedAt: now }).where('subject', '=', subject.id).execute();
        await recordAudit(trx, { at: now, actor: subject, action: 'identity.identify-locked', entityType: 'identity-check', entityId: subject.id, after: { failures: row.failedIdentifications, lockedUntil: until.toISOString() } });
      }
    });
  }

  return { consume, record, entryOf };
}
export type IdentityChecks = ReturnType<typeof createIdentityChecks>;
