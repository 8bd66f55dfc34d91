import path from 'node:path';
import { z } from 'zod';

/**
 * The whole runtime configuration, parsed once from the environment.
 * `process.env` is read here and nowhere else (STYLE.md §7).
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce
    .number({ error: 'expected a TCP port number (0-65535)' })
    .int('expected a TCP port number (0-65535)')
    .min(0, 'expected a TCP port number (0-65535)')
    .max(65535, 'expected a TCP port number (0-65535)')
    .default(3000),
  PUBLIC_URL: z.url({ error: 'expected an absolute http(s) URL, e.g. https://rpps.example.fr' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres://user:password@host:port/database URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('RPPS+ <ne-pas-repondre@rpps-plus.invalid>'),
  JOBS_WORKER: z.enum(['true', 'false'], { error: 'expected true or false' }).default('true'),
  LOG_LEVEL: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  DEMO_DATA: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  // RPPS numbers this instance may allocate: 10-digit payloads (the Luhn key is appended). See docs/register.md.
  RPPS_RANGE_START: z.string().regex(/^\d{10}$/, 'expected a 10-digit RPPS payload, e.g. 1090000000').default('1090000000'),
  RPPS_RANGE_END: z.string().regex(/^\d{10}$/, 'expected a 10-digit RPPS payload, e.g. 1099999999').default('1099999999'),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Whether this process runs background jobs (it always can enqueue them). */
  jobsWorker: boolean;
  logLevel: (typeof logLevels)[number];
  bodyLimitBytes: number;
  demoData: boolean;
  /** Inclusive range of RPPS payloads (10 digits, before the Luhn key) reserved for this instance. */
  rppsRange: Readonly<{ start: number; end: number }>;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as unset: `PORT= npm start` means "use the default".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const shown = cleaned[variable] === undefined ? '' : ` (got "${cleaned[variable]}")`;
    throw new ConfigError(`Invalid configuration: ${variable}${shown}: ${issue.message}`);
  }
  const e = parsed.data;
  if (Number(e.RPPS_RANGE_END) < Number(e.RPPS_RANGE_START)) {
    throw new ConfigError(`Invalid configuration: RPPS_RANGE_END (got "${e.RPPS_RANGE_END}"): must not be below RPPS_RANGE_START`);
  }
  const port = e.PORT;
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, ''),
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobsWorker: e.JOBS_WORKER === 'true',
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    rppsRange: Object.freeze({ start: Number(e.RPPS_RANGE_START), end: Number(e.RPPS_RANGE_END) }),
  });
}
