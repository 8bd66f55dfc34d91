import { fromKysely, fromPglite, PgBoss, type Db, type Job, type JobResult, type JobWithMetadata } from 'pg-boss';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { ConfigError } from '../config.ts';
import type { DatabaseHandle } from '../db/database.ts';
import type { DB } from '../db/schema.ts';

/**
 * Background work on a Postgres-backed queue (pg-boss), on both backends: no Redis, and a job is
 * inserted in the transaction of the business change that causes it, so a rolled-back change
 * enqueues nothing and a committed one is never lost. See docs/jobs-and-mail.md.
 */

/**
 * Every job name with its payload type. Each feature adds its own jobs by declaration merging:
 * `declare module '../../jobs/index.ts' { interface JobPayloads { 'mail.send': { mailId: string } } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface JobPayloads {}
export type JobName = keyof JobPayloads & string;

export interface JobRun {
  id: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** No retry follows if this attempt fails. */
  lastAttempt: boolean;
  /** When the job was created (database time); absent when a handler is called directly. */
  createdOn?: Date;
  /** The runtime's logger: one line per business event, never personal data. */
  log: JobLogger;
}
export type JobHandler<P> = (payload: P, run: JobRun) => Promise<void>;

export interface JobOptions {
  /** Retries after the first attempt (default 5). */
  retryLimit?: number;
  /** First retry delay, doubled at each retry with jitter (default 10 s). */
  retryDelaySeconds?: number;
  /** Upper bound of the back-off (default 1 h). */
  retryDelayMaxSeconds?: number;
  /** An attempt still running after this long is considered lost and retried (default 5 min). */
  expireInSeconds?: number;
  /** Workers of this kind in one process, each fetching its own batch (default 1). */
  concurrency?: number;
  /**
   * Jobs one worker fetches at once (default 1); their handlers run side by side and each job is
   * settled on its own (one failing job does not fail the others). While fetches come back full
   * the worker fetches again at once instead of waiting for the polling interval.
   */
  batchSize?: number;
  /**
   * On PostgreSQL, a job enqueued of this kind wakes an idle worker at once (LISTEN/NOTIFY)
   * instead of at its next poll; polling stays as the fallback (and is all PGlite has).
   */
  wakeOnEnqueue?: boolean;
  /** How often an idle worker looks for jobs of this kind (default: the runtime's interval). */
  pollingIntervalSeconds?: number;
  /**
   * Run periodically, with an empty payload: a cron expression ("5 0 * * *" = every day at
   * 00:05), evaluated in Europe/Paris. pg-boss keeps the schedule in the database and sends one
   * job per tick whatever the number of instances.
   */
  cron?: string;
}

/**
 * Handles a fetched batch at once (one query for the whole batch rather than one per job);
 * resolves with one entry per item, in order: undefined when the job is done, else its error.
 */
export type JobBatchHandler<P> = (items: { payload: P; run: JobRun }[]) => Promise<(unknown | undefined)[]>;

export interface JobDefinition<N extends JobName = JobName> {
  name: N;
  schema: z.ZodType<JobPayloads[N]>;
  handler: JobHandler<JobPayloads[N]>;
  batchHandler?: JobBatchHandler<JobPayloads[N]>;
  options: JobOptions;
}

/** Any one job definition (a union over the declared names, so each keeps its payload type). */
export type AnyJobDefinition = { [N in JobName]: JobDefinition<N> }[JobName];
/** How the runtime holds definitions once the name no longer tells the payload type. */
interface StoredJob {
  name: string;
  schema: z.ZodType;
  handler: JobHandler<unknown>;
  batchHandler?: JobBatchHandler<unknown>;
  options: JobOptions;
}

export function defineJob<N extends JobName>(
  name: N,
  schema: z.ZodType<JobPayloads[N]>,
  handler: JobHandler<JobPayloads[N]>,
  options: JobOptions = {},
): JobDefinition<N> {
  return { name, schema, handler, options };
}

/** A job whose fetched batches go to `batchHandler` whole; `handler` runs one job the same way. */
export function defineBatchJob<N extends JobName>(
  name: N,
  schema: z.ZodType<JobPayloads[N]>,
  batchHandler: JobBatchHandler<JobPayloads[N]>,
  options: JobOptions = {},
): JobDefinition<N> {
  const handler: JobHandler<JobPayloads[N]> = async (payload, run) => {
    const [error] = await batchHandler([{ payload, run }]);
    if (error !== undefined) throw error;
  };
  return { name, schema, handler, batchHandler, options };
}

export interface EnqueueOptions {
  /** At most one queued or running job with this key per job name (pg-boss singleton). */
  singletonKey?: string;
  /** Not before this instant (or this many seconds from now). */
  startAfter?: Date | number;
  /** Higher runs first among the waiting jobs of the same kind (default 0). */
  priority?: number;
}

/** What services receive: enqueueing only, inside their own transaction. */
export interface JobQueue {
  /**
   * Inserts the job through `trx`, so it commits or rolls back with the business change. Returns the
   * job id, or null when a job with the same `singletonKey` is already waiting.
   */
  enqueue<N extends JobName>(
    trx: Kysely<DB>,
    name: N,
    payload: JobPayloads[N],
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /**
   * Many jobs of one kind in one statement (pg-boss `insert`), through `trx` like `enqueue` (a bulk
   * import's batch: one identity check per row). No singleton key; the same options for all.
   */
  enqueueMany?<N extends JobName>(trx: Kysely<DB>, name: N, payloads: readonly JobPayloads[N][], options?: Omit<EnqueueOptions, 'singletonKey'>): Promise<void>;
}

export interface DeadLetter {
  id: string;
  /** The job that failed, in its own queue. */
  sourceId: string | null;
  data: unknown;
  createdOn: Date;
}

export interface JobRuntime extends JobQueue {
  /** Installs or upgrades pg-boss's schema, creates the queues and, if `worker`, starts the workers. */
  start(options?: { log?: JobLogger }): Promise<void>;
  stop(): Promise<void>;
  /** Jobs of `name` that failed their last retry, newest last. */
  deadLetters(name: JobName): Promise<DeadLetter[]>;
  readonly boss: PgBoss;
}

/** The subset of a pino logger used here. */
export interface JobLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
export const silentLogger: JobLogger = { info() {}, warn() {}, error() {} };

export interface JobRuntimeOptions {
  database: Pick<DatabaseHandle, 'db' | 'pglite'>;
  /** Set on PostgreSQL: pg-boss gets its own small pool there. */
  databaseUrl: string | undefined;
  jobs: readonly AnyJobDefinition[];
  /** Run the handlers in this process (JOBS_WORKER). Enqueueing works either way. */
  worker: boolean;
  /**
   * With `worker`, run only the kinds this accepts (JOBS_ONLY, see `workerKinds`); the queues of
   * every kind are still created, so this process enqueues any of them. Default: every kind.
   */
  works?: (name: string) => boolean;
  /** How often an idle worker looks for jobs (default 2 s, minimum 0.5 s). */
  pollingIntervalSeconds?: number;
  instanceName?: string;
  /** How often pg-boss looks for due cron ticks (default 30 s; tests shorten it). */
  scheduleCheckSeconds?: number;
}

export const deadLetterQueue = (name: string) => `${name}.dead`;

/**
 * Which work kinds a worker process runs (JOBS_ONLY): each entry is a kind (`bulk-import.batch`)
 * or a family, the part before the dot (`mail` covers `mail.send`); no entry (undefined): every
 * kind. `known` lists the kinds there are (the job names, and the watchers' kinds); an entry that
 * names none of them is refused, so a typo cannot leave a kind of work without any worker unnoticed.
 */
export function workerKinds(only: readonly string[] | undefined, known: readonly string[]): (kind: string) => boolean {
  if (only === undefined) return () => true;
  const family = (kind: string) => kind.split('.')[0]!;
  const unknown = only.filter((entry) => !known.some((kind) => kind === entry || family(kind) === entry));
  if (unknown.length > 0) {
    throw new ConfigError(`Invalid configuration: JOBS_ONLY (got "${only.join(',')}"): unknown job kind ${unknown.map((u) => `"${u}"`).join(', ')}; known: ${[...known].sort().join(', ')}`);
  }
  return (kind) => only.some((entry) => entry === kind || entry === family(kind));
}

const defaults = {
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryDelayMaxSeconds: 3600,
  expireInSeconds: 300,
  concurrency: 1,
  batchSize: 1,
  wakeOnEnqueue: false,
} satisfies Required<Omit<JobOptions, 'pollingIntervalSeconds' | 'cron'>>;

/**
 * pg-boss on the embedded database. PGlite is one session: pg-boss's statements must not run in
 * the middle of an application transaction on it (they would commit or roll back with it). Holding
 * the only connection of the application's pool while pg-boss runs a statement serializes the two.
 */
function embeddedBossDb(database: Pick<DatabaseHandle, 'db' | 'pglite'>): Db {
  const direct = fromPglite(database.pglite!);
  return {
    executeSql: (text, values) => database.db.connection().execute(() => direct.executeSql(text, values)),
  };
}

export function createJobRuntime(options: JobRuntimeOptions): JobRuntime {
  const { database } = options;
  const definitions = new Map<string, StoredJob>();
  for (const job of options.jobs as readonly StoredJob[]) {
    if (definitions.has(job.name)) throw new Error(`Job ${job.name} is defined twice.`);
    definitions.set(job.name, job);
  }
  const common = {
    schema: 'pgboss',
    application_name: 'rpps-plus-jobs',
    instanceName: options.instanceName,
    // Cron scheduling only when a job asks for it (JobOptions.cron); maintenance and monitoring stay on.
    schedule: [...definitions.values()].some((job) => job.options.cron !== undefined),
    ...(options.scheduleCheckSeconds ? { cronMonitorIntervalSeconds: options.scheduleCheckSeconds, cronWorkerIntervalSeconds: options.scheduleCheckSeconds } : {}),
  };
  const works = (name: string) => options.worker && (options.works?.(name) ?? true);
  const wakeOnEnqueue = [...definitions.values()].some((job) => job.options.wakeOnEnqueue && works(job.name));
  const boss = options.databaseUrl
    ? // One more connection for LISTEN when a job kind asks to be woken on enqueue.
      new PgBoss({ ...common, connectionString: options.databaseUrl, max: 4, useListenNotify: wakeOnEnqueue })
    : new PgBoss({ ...common, db: embeddedBossDb(database), backend: 'pglite' });
  let log = silentLogger;
  let started = false;

  async function createQueues() {
    const existing = new Set((await boss.getQueues()).map((q) => q.name));
    for (const job of definitions.values()) {
      const o = { ...defaults, ...job.options };
      const dead = deadLetterQueue(job.name);
      if (!existing.has(dead)) await boss.createQueue(dead, { retentionSeconds: 30 * 24 * 3600 });
      const queue = {
        retryLimit: o.retryLimit,
        retryDelay: o.retryDelaySeconds,
        retryBackoff: true,
        retryDelayMax: o.retryDelayMaxSeconds,
        expireInSeconds: o.expireInSeconds,
        deadLetter: dead,
        notify: o.wakeOnEnqueue,
      };
      // Definitions win over what is stored, so changing a retry policy in code takes effect.
      if (existing.has(job.name)) await boss.updateQueue(job.name, queue);
      else await boss.createQueue(job.name, queue);
      if (job.options.cron) await boss.schedule(job.name, job.options.cron, {}, { tz: 'Europe/Paris' });
    }
  }

  /** The settlement of a job that failed; the log line keeps the error's name and code only. */
  function failed(job: StoredJob, run: JobRun, err: unknown): JobResult {
    // The error's name and code only: messages may carry personal data (addresses).
    const e = err as { name?: string; code?: unknown; message?: unknown };
    log.warn(
      { job: job.name, jobId: run.id, attempt: run.attempt, lastAttempt: run.lastAttempt, error: e?.name, code: e?.code },
      'job.failed',
    );
    return { id: run.id, status: 'failed', output: { name: e?.name, code: e?.code, message: typeof e?.message === 'string' ? e.message : String(err) } };
  }

  /** Runs a fetched batch; resolves with one settlement per job. */
  async function runBatch(job: StoredJob, fetched: JobWithMetadata<unknown>[]): Promise<JobResult[]> {
    const results: JobResult[] = [];
    const valid: { payload: unknown; run: JobRun }[] = [];
    for (const raw of fetched) {
      const run: JobRun = { id: raw.id, attempt: raw.retryCount + 1, lastAttempt: raw.retryCount >= raw.retryLimit, createdOn: raw.createdOn, log };
      const parsed = job.schema.safeParse(raw.data);
      if (parsed.success) valid.push({ payload: parsed.data, run });
      else {
        log.error({ job: job.name, jobId: run.id }, 'job.invalid_payload');
        results.push({ id: run.id, status: 'failed', output: { name: 'Error', message: `Invalid payload for job ${job.name}` } });
      }
    }
    const errors = job.batchHandler
      ? await job.batchHandler(valid).catch((err: unknown) => valid.map(() => err))
      : await Promise.all(valid.map(({ payload, run }) => job.handler(payload, run).then(() => undefined, (err: unknown) => err ?? new Error('failed'))));
    valid.forEach(({ run }, i) => results.push(errors[i] === undefined ? { id: run.id, status: 'completed' } : failed(job, run, errors[i])));
    return results;
  }

  async function startWorker(job: StoredJob) {
    const o = { ...defaults, ...job.options };
    const polling = job.options.pollingIntervalSeconds ?? options.pollingIntervalSeconds ?? 2;
    await boss.work<unknown>(
      job.name,
      {
        includeMetadata: true,
        batchSize: o.batchSize,
        localConcurrency: o.concurrency,
        // Each job of a batch settles on its own: a failing mail does not send its neighbours again.
        perJobResults: true,
        burstWhenBatchFull: o.batchSize > 1,
        pollingIntervalSeconds: polling,
        // NOTIFY only wakes on new jobs, not on retries coming due: keep polling as often.
        notifyPollingIntervalSeconds: polling,
      },
      async (fetched: Job<unknown>[]) => runBatch(job, fetched as JobWithMetadata<unknown>[]),
    );
  }

  return {
    boss,

    async enqueue(trx, name, payload, enqueueOptions = {}) {
      const job = definitions.get(name);
      if (!job) throw new Error(`Unknown job ${name}: add its definition to the job runtime.`);
      if (!started) throw new Error(`Cannot enqueue ${name}: the job runtime is not started.`);
      const data = job.schema.parse(payload) as object;
      const { startAfter, priority } = enqueueOptions;
      return boss.send(name, data, {
        // Through the caller's connection: the insert belongs to its transaction. Without plugins,
        // so the CamelCasePlugin does not rename pg-boss's result columns.
        db: fromKysely(trx.withoutPlugins()),
        singletonKey: enqueueOptions.singletonKey,
        startAfter: startAfter instanceof Date ? startAfter.toISOString() : startAfter,
        ...(priority === undefined ? {} : { priority }),
      });
    },

    async enqueueMany(trx, name, payloads, enqueueOptions = {}) {
      const job = definitions.get(name);
      if (!job) throw new Error(`Unknown job ${name}: add its definition to the job runtime.`);
      if (!started) throw new Error(`Cannot enqueue ${name}: the job runtime is not started.`);
      if (payloads.length === 0) return;
      const { startAfter, priority } = enqueueOptions;
      const jobs = payloads.map((payload) => ({
        data: job.schema.parse(payload) as object,
        startAfter: startAfter instanceof Date ? startAfter.toISOString() : startAfter,
        ...(priority === undefined ? {} : { priority }),
      }));
      // Through the caller's connection, as `enqueue`: the jobs commit with the business change.
      await boss.insert(name, jobs, { db: fromKysely(trx.withoutPlugins()) });
    },

    async start(startOptions = {}) {
      if (started) return;
      log = startOptions.log ?? log;
      if (boss.listenerCount('error') === 0) boss.on('error', (err) => log.error({ error: err.name, code: (err as { code?: unknown }).code }, 'jobs.error'));
      await boss.start();
      await createQueues();
      started = true;
      const worked = [...definitions.values()].filter((job) => works(job.name));
      for (const job of worked) await startWorker(job);
      log.info({ jobs: [...definitions.keys()], worker: options.worker, working: worked.map((job) => job.name) }, 'jobs.started');
    },

    async stop() {
      if (!started) return;
      started = false;
      // Graceful: running handlers get time to finish before the database closes.
      await boss.stop({ graceful: true, timeout: 10_000 });
    },

    async deadLetters(name) {
      const jobs = await boss.findJobs<unknown>(deadLetterQueue(name));
      return jobs.map((j) => ({ id: j.id, sourceId: j.sourceId, data: j.data, createdOn: j.createdOn }));
    },
  };
}
