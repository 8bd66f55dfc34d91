import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import type { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import { buildApp } from '../../../src/server/app.ts';
import type { AppContext } from '../../../src/server/context.ts';
import { systemClock } from '../../../src/server/context.ts';
import { type Background, createBackground } from '../../../src/server/jobs/background.ts';
import { type AnyJobDefinition, createJobRuntime, type JobQueue, type JobRuntime, silentLogger } from '../../../src/server/jobs/index.ts';
import { createMailer } from '../../../src/server/mail/mailer.ts';
import { createMailService, mailSendJob, type MailService } from '../../../src/server/mail/service.ts';
import { verifyIdentityJob } from '../../../src/server/modules/register/jobs.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { type ReceivedMail, startSmtp, stopSmtp } from '../../support/smtp.ts';
import { until } from '../../support/until.ts';
import { releaseBrowser, workerBrowser } from './browser.ts';
import { freePort, webDir } from './server.ts';
import { browserTimeouts } from './timeouts.ts';

export type { ReceivedMail };

export interface BrowserStack {
  baseUrl: string;
  app: FastifyInstance;
  database: TestDatabase;
  browser: Browser;
  /** The job runtime, when the stack runs jobs (`jobs` or `background`). */
  jobs: JobRuntime | undefined;
  /** Mails delivered to the in-process SMTP server (`smtp: true`), in order. */
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface BrowserStackOptions {
  /** Extra environment of the test database's configuration (PUBLIC_URL is set here). */
  env?: Record<string, string>;
  /** An in-process SMTP server stands for the real one (STACK.md, Mail): SMTP_URL points at it. */
  smtp?: boolean;
  /** Only these jobs run (polled every 0.5 s); the app gets the job queue and the mail service. */
  jobs?: (deps: { database: TestDatabase; queue: JobQueue; mail: () => MailService }) => AnyJobDefinition[];
  /** Every background job and watcher of the server, as `npm start` runs them (src/server/jobs/background.ts). */
  background?: boolean;
}

/**
 * The first mail of `received` (the stack's SMTP capture) that `match`es, once it has arrived
 * (generous bound, see tests/support/until.ts); fails with `what` if none arrives.
 */
export function waitForMail(received: ReceivedMail[], match: (m: ReceivedMail) => boolean, what = 'a mail'): Promise<ReceivedMail> {
  return until(async () => received.find(match), { what, intervalMs: 50 });
}

/** The jobs of the registration flows: mail delivery (to SMTP_URL, else the local outbox) and the identity check. */
export const registrationJobs: NonNullable<BrowserStackOptions['jobs']> = ({ database }) => [
  mailSendJob({ db: database.db, mailer: createMailer(database.config), clock: systemClock }),
  verifyIdentityJob({ db: database.db, clock: systemClock }),
];

/**
 * The whole product for a browser test: a copy of the test database (fictitious FINESS demo
 * data), the API and the built web app listening on a free local port (known before start-up:
 * it is the embedded identity provider's issuer), optionally the jobs, and Chromium.
 */
export async function startBrowserStack(options: BrowserStackOptions = {}): Promise<BrowserStack> {
  const received: ReceivedMail[] = [];
  let smtp: SMTPServer | undefined;
  let database: TestDatabase | undefined;
  let jobs: JobRuntime | undefined;
  let background: Background | undefined;
  let app: FastifyInstance | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await releaseBrowser(browser);
    await app?.close();
    await background?.stop();
    if (!background) await jobs?.stop();
    await database?.close();
    if (smtp) await stopSmtp(smtp);
  };
  try {
    const env: Record<string, string> = { ...options.env };
    if (options.smtp) {
      const started = await startSmtp(received);
      smtp = started.server;
      env.SMTP_URL = `smtp://127.0.0.1:${started.port}?ignoreTLS=true`;
    }
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const db = await createTestDatabase({ ...env, PUBLIC_URL: baseUrl });
    database = db;
    const ctx: AppContext = { config: db.config, db: db.db, clock: systemClock };
    if (options.background) {
      background = createBackground(db.config, db, systemClock);
      await background.start(silentLogger);
      jobs = background.jobs;
      Object.assign(ctx, { jobs, mail: background.mail });
    } else if (options.jobs) {
      // The definitions may enqueue or mail through the runtime being built here (used once running).
      const queue: JobQueue = { enqueue: (...args) => runtime.enqueue(...args) };
      const mail = () => createMailService({ jobs: queue, clock: systemClock });
      const runtime: JobRuntime = createJobRuntime({
        database: db,
        databaseUrl: db.config.databaseUrl,
        worker: true,
        pollingIntervalSeconds: 0.5,
        jobs: options.jobs({ database: db, queue, mail }),
      });
      jobs = runtime;
      await runtime.start();
      Object.assign(ctx, { jobs, mail: createMailService({ jobs, clock: systemClock }) });
    }
    app = await buildApp(ctx, { webDir, logger: false });
    await app.listen({ port, host: '127.0.0.1' });
    browser = await workerBrowser();
    return { baseUrl, app, database: db, browser, jobs, received, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * The stack of the enclosing `describe`: started before its tests (then `seed` runs on it),
 * closed after them. Read its fields inside the tests (`stack.browser`, `stack.baseUrl`).
 */
export function useBrowserStack(options: BrowserStackOptions = {}, seed?: (stack: BrowserStack) => Promise<unknown>): BrowserStack {
  const stack = {} as BrowserStack;
  beforeAll(async () => {
    Object.assign(stack, await startBrowserStack(options));
    await seed?.(stack);
  }, browserTimeouts.stackMs);
  afterAll(async () => stack.close?.());
  return stack;
}

/** What the demo seeds take, on the stack's database (their jobs are not run). */
export const demoSeedDeps = (stack: BrowserStack) => ({ db: stack.database.db, clock: systemClock, config: stack.database.config, jobs: { enqueue: async () => null } as never });
