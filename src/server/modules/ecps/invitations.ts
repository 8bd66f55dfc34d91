import { sql } from 'kysely';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { JobLogger } from '../../jobs/index.ts';
import { createWatcher, type Watcher } from '../../jobs/watcher.ts';
import type { EcpsService } from './service.ts';

const consumer = 'ecps.invitations';
/** Events after which a professional may activate his e-CPS. */
const invitingEvents = ['registration.created', 'situation.created'];

/**
 * Consumes the register outbox (`register_event`) with its own cursor (`ecps_event_cursor`): every
 * newly registered professional gets his e-CPS account and the activation mail (DOMAIN.md, "After
 * registration"). Serialized by an advisory lock, idempotent (`invite` does nothing twice), and
 * the cursor moves in the transaction that sends the mails, so an event is handled exactly once.
 */
export function createEcpsInvitations(deps: { db: Database; ecps: EcpsService }) {
  const { db, ecps } = deps;
  const cursor = () =>
    sql<string>`coalesce((SELECT last_event_id FROM ecps_event_cursor WHERE consumer = ${consumer}), 0)`;

  return {
    async hasPending(): Promise<boolean> {
      const row = await db.selectFrom('registerEvent').select('id').where('id', '>', cursor()).limit(1).executeTakeFirst();
      return row !== undefined;
    },

    /** Handles up to `limit` events; returns how many professionals were invited. */
    async processPending(limit = 500): Promise<{ events: number; invited: number }> {
      return db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${consumer}))`.execute(trx);
        const events = await trx
          .selectFrom('registerEvent')
          .innerJoin('person', 'person.id', 'registerEvent.personId')
          .select(['registerEvent.id', 'registerEvent.type', 'person.id as personId', 'person.rpps', 'person.email'])
          .where('registerEvent.id', '>', cursor())
          .orderBy('registerEvent.id')
          .limit(limit)
          .execute();
        if (events.length === 0) return { events: 0, invited: 0 };
        let invited = 0;
        for (const e of events) {
          if (invitingEvents.includes(e.type) && (await ecps.invite(trx, e.personId, e.rpps, e.email))) invited++;
        }
        const last = events[events.length - 1]!.id;
        await trx
          .insertInto('ecpsEventCursor')
          .values({ consumer, lastEventId: last })
          .onConflict((oc) => oc.column('consumer').doUpdateSet({ lastEventId: last }))
          .execute();
        return { events: events.length, invited };
      });
    },
  };
}

/**
 * Runs the consumer within a fraction of a second of a registration, so the activation mail
 * follows the registration within seconds (the real service takes 48 h).
 */
export function createEcpsInvitationWatcher(deps: { db: Database; ecps: EcpsService; clock?: Clock; intervalMs?: number; log?: JobLogger }): Watcher {
  const invitations = createEcpsInvitations(deps);
  return createWatcher({
    hasPending: () => invitations.hasPending(),
    handle: async () => {
      const report = await invitations.processPending();
      if (report.invited > 0) deps.log?.info(report, 'ecps.invited');
    },
    failureEvent: 'ecps.invitations_failed',
    intervalMs: deps.intervalMs,
    log: deps.log,
  });
}
