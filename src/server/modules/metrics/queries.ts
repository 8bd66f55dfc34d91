import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';

/** Figures of the whole deployment read at scrape time (the same on every process). */
export interface OperationalFigures {
  jobs: Array<{ name: string; waiting: number; active: number; failed: number; oldestWaitingSeconds: number }>;
  mail: Array<{ status: string; count: number }>;
  oldestQueuedMailAt: Date | null;
  unpublishedEvents: number;
  oldestUnpublishedAt: Date | null;
  extractions: Array<{ kind: string; lastAt: Date }>;
}

/** pg-boss queues: waiting (created or retrying), running and failed jobs, age of the oldest job ready to run. */
async function jobFigures(db: Database): Promise<OperationalFigures['jobs']> {
  const installed = await sql<{ present: boolean }>`select to_regclass('pgboss.job') is not null as present`.execute(db);
  if (!installed.rows[0]?.present) return [];
  const { rows } = await sql<{ name: string; waiting: number; active: number; failed: number; oldest: number }>`
    select name,
           count(*) filter (where state in ('created', 'retry'))::int as waiting,
           count(*) filter (where state = 'active')::int as active,
           count(*) filter (where state = 'failed')::int as failed,
           coalesce(extract(epoch from now() - min(start_after) filter (where state in ('created', 'retry') and start_after <= now())), 0)::float8 as oldest
      from pgboss.job
     where state <> 'completed' and state <> 'cancelled'
     group by name`.execute(db);
  return rows.map((r) => ({ name: r.name, waiting: r.waiting, active: r.active, failed: r.failed, oldestWaitingSeconds: r.oldest }));
}

export async function readOperationalFigures(db: Database): Promise<OperationalFigures> {
  const [jobs, mail, oldestMail, unpublished, extractions] = await Promise.all([
    jobFigures(db),
    db.selectFrom('mailMessage').select(['status', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('status').execute(),
    db.selectFrom('mailMessage').where('status', '=', 'queued').select((eb) => eb.fn.min('createdAt').as('at')).executeTakeFirst(),
    db
      .selectFrom('registerEvent')
      .where('publishedAt', 'is', null)
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('occurredAt').as('at')])
      .executeTakeFirst(),
    db.selectFrom('directoryExtraction').select(['kind', (eb) => eb.fn.max('generatedAt').as('lastAt')]).groupBy('kind').execute(),
  ]);
  return {
    jobs,
    mail: mail.map((m) => ({ status: m.status, count: Number(m.count) })),
    oldestQueuedMailAt: oldestMail?.at ? new Date(oldestMail.at) : null,
    unpublishedEvents: Number(unpublished?.count ?? 0),
    oldestUnpublishedAt: unpublished?.at ? new Date(unpublished.at) : null,
    extractions: extractions.map((e) => ({ kind: e.kind, lastAt: new Date(e.lastAt) })),
  };
}

/** Seconds the replica's replay is behind the primary (0 when it has replayed all it received). */
export async function replicaLagSeconds(readDb: Database): Promise<number> {
  const { rows } = await sql<{ lag: number }>`
    select case
             when not pg_is_in_recovery() then 0
             when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
             else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)
           end::float8 as lag`.execute(readDb);
  return rows[0]?.lag ?? 0;
}

/**
 * Bytes of WAL the primary has written that the replica has not replayed. Unlike the seconds
 * above (0 while the replica has replayed all it *received*), this grows when the replica stops
 * receiving (replication broken, replica disconnected) as soon as the primary writes anything.
 */
export async function replicaLagBytes(db: Database, readDb: Database): Promise<number> {
  const replay = (await sql<{ lsn: string | null }>`select pg_last_wal_replay_lsn()::text as lsn`.execute(readDb)).rows[0]?.lsn;
  if (!replay) return 0; // not a standby (DATABASE_READ_URL names a primary)
  const { rows } = await sql<{ bytes: number }>`select greatest(0, pg_wal_lsn_diff(pg_current_wal_lsn(), ${replay}::pg_lsn))::float8 as bytes`.execute(db);
  return rows[0]?.bytes ?? 0;
}
