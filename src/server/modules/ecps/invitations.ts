import { sql } from 'kysely';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { JobLogger } from '../../jobs/index.ts';
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
export function createEcpsInvitationWatcher(deps: { db: Database; ecps: EcpsService; clock?: Clock; intervalMs?: number; log?: JobLogger }) {
  const invitations = createEcpsInvitations(deps);
  const interval = deps.intervalMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  async function tick() {
    if (running) return;
    running = true;
    try {
      if (await invitations.hasPending()) {
        const report = await invitations.processPending();
        if (report.invited > 0) deps.log?.info(report, 'ecps.invited');
      }
    } catch (err) {
      deps.log?.warn({ error: (err as Error)?.name, code: (err as { code?: unknown })?.code }, 'ecps.invitations_failed');
    } finally {
      running = false;
    }
  }
  return {
    start() {
      if (!timer) timer = setInterval(() => void tick(), interval);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
    tick,
  };
}
