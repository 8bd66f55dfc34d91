import type { Config } from '../config.ts';
import type { Clock } from '../context.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { createMailer } from '../mail/mailer.ts';
import { createMailService, mailSendJob, type MailService } from '../mail/service.ts';
import { createPublicationWatcher, directoryPublishJob } from '../modules/directory/jobs.ts';
import { directoryExtractJob } from '../modules/directory/extraction-jobs.ts';
import { createEcpsInvitationWatcher } from '../modules/ecps/invitations.ts';
import { createSimulatedEcps } from '../modules/ecps/service.ts';
import { habilitationEndJob } from '../modules/onboarding/jobs.ts';
import { preregistrationRemindersJob } from '../modules/preregistration/jobs.ts';
import { identityDocumentsJob, registerDailyJob, verifyIdentityJob } from '../modules/register/jobs.ts';
import { bulkImportBatchJob } from '../modules/bulk-import/jobs.ts';
import { dashboardRefreshJob, refreshIfStale } from '../modules/dashboard/jobs.ts';
import { createBulkImportService } from '../modules/bulk-import/service.ts';
import { type AnyJobDefinition, createJobRuntime, type JobLogger, type JobRuntime, workerKinds } from './index.ts';

export interface Background {
  jobs: JobRuntime;
  mail: MailService;
  /** Installs pg-boss's schema and queues; starts the workers when JOBS_WORKER=true (those of JOBS_ONLY). */
  start(log: JobLogger): Promise<void>;
  /** Lets running jobs finish, then stops; call before closing the database. */
  stop(): Promise<void>;
}

/**
 * Work of a worker that is no pg-boss job, named like one for JOBS_ONLY: the e-CPS invitations
 * (a watcher). The directory's watcher goes with `directory.publish`, the job it enqueues.
 */
const ecpsInvitationsKind = 'ecps.invitations';

/**
 * Every background job of the server, wired to its dependencies. A feature with a job adds its
 * definition to the list below. A worker runs them all, or those JOBS_ONLY names (a dedicated
 * worker: `JOBS_ONLY=bulk-import,mail`); throws ConfigError when JOBS_ONLY names an unknown kind.
 */
export function createBackground(config: Config, database: DatabaseHandle, clock: Clock): Background {
  const mailer = createMailer(config);
  const definitions: AnyJobDefinition[] = [
    mailSendJob({ db: database.db, mailer, clock }),
    directoryPublishJob({ db: database.db, clock }),
    directoryExtractJob({ db: database.db, clock, config }),
    habilitationEndJob({ db: database.db, clock }),
    verifyIdentityJob({ db: database.db, clock }),
    registerDailyJob({ db: database.db, clock, config }),
    identityDocumentsJob({ db: database.db, clock, config }),
    dashboardRefreshJob({ db: database.db, clock }),
    // The mail service is built below from this runtime; the job only uses it once running.
    preregistrationRemindersJob({ db: database.db, clock, config, mail: { queueMail: (...args) => mail.queueMail(...args) } }),
    // The next batch is queued through the runtime built below (used only once it runs).
    bulkImportBatchJob({
      db: database.db,
      clock,
      config,
      jobs: { enqueue: (...args) => jobs.enqueue(...args), enqueueMany: (...args) => jobs.enqueueMany!(...args) },
      mail: { queueMail: (...args) => mail.queueMail(...args), queueMails: (...args) => mail.queueMails!(...args) },
    }),
  ];
  const works = config.jobsWorker ? workerKinds(config.jobsOnly, [...definitions.map((job) => job.name), ecpsInvitationsKind]) : () => false;
  const jobs = createJobRuntime({ database, databaseUrl: config.databaseUrl, worker: config.jobsWorker, works, jobs: definitions });
  let directoryWatcher: ReturnType<typeof createPublicationWatcher> | undefined;
  let ecpsWatcher: ReturnType<typeof createEcpsInvitationWatcher> | undefined;
  const mail = createMailService({ jobs, clock });
  return {
    jobs,
    mail,
    async start(log) {
      await jobs.start({ log });
      // Each start-up task and watcher goes with the kind of work it feeds.
      if (works('bulk-import.batch')) {
        // Committed bulk imports left unfinished by a stop or a crash continue (docs/bulk-import.md).
        const resumed = await createBulkImportService({ db: database.db, clock, config, jobs, mail }).resumeUnfinished();
        if (resumed.length > 0) log.info({ imports: resumed.length }, 'bulk-import.resumed');
      }
      if (works('dashboard.refresh')) await refreshIfStale({ db: database.db, clock, jobs, log });
      if (works('directory.publish')) {
        directoryWatcher = createPublicationWatcher({ db: database.db, clock, jobs, log });
        directoryWatcher.start();
      }
      if (works(ecpsInvitationsKind)) {
        ecpsWatcher = createEcpsInvitationWatcher({ db: database.db, ecps: createSimulatedEcps({ db: database.db, clock, config, mail }), log });
        ecpsWatcher.start();
      }
      if (config.env === 'production' && !config.smtpUrl) {
        log.warn({}, 'mail.no_smtp_url: mails stay in the local outbox and are not delivered');
      }
    },
    async stop() {
      await directoryWatcher?.stop();
      await ecpsWatcher?.stop();
      await jobs.stop();
      mailer.close();
    },
  };
}
