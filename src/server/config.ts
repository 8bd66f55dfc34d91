import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * The whole runtime configuration, parsed once from the environment.
 * `process.env` is read here and nowhere else (STYLE.md §7).
 */
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isTrustProxy(v: string): boolean {
  if (/^(true|false|\d{1,2})$/.test(v)) return true;
  return v.split(',').every((part) => {
    const p = part.trim();
    if (proxyNames.has(p)) return true;
    const [address, bits, ...rest] = p.split('/');
    const family = isIP(address ?? '');
    if (family === 0 || rest.length > 0) return false;
    return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
  });
}
const parseTrustProxy = (v: string): boolean | number | string =>
  v === 'true' ? true : v === 'false' ? false : /^\d+$/.test(v) ? Number(v) : v.split(',').map((p) => p.trim()).join(',');

/** A calendar day, YYYY-MM-DD. */
const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), 'expected a real day as YYYY-MM-DD');

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
  // Public reads (/fhir, /api/directory) from a streaming replica (docs/operations.md#read-replica).
  DATABASE_READ_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres://user:password@host:port/database URL')
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'expected an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('RPPS+ <ne-pas-repondre@rpps-plus.invalid>'),
  // Seconds between SIGTERM (readiness turns 503) and closing the listener (docs/operations.md#graceful-stop).
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(300).default(0),
  JOBS_WORKER: z.enum(['true', 'false'], { error: 'expected true or false' }).default('true'),
  // The job kinds (or families: `mail`) this worker runs, comma-separated; unset: all (docs/jobs-and-mail.md).
  JOBS_ONLY: z
    .string()
    .regex(/^\s*[a-z][a-z-]*(\.[a-z-]+)?\s*(,\s*[a-z][a-z-]*(\.[a-z-]+)?\s*)*$/, 'expected job kinds or families separated by commas, e.g. bulk-import,mail.send')
    .optional(),
  LOG_LEVEL: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  // A request whose body has not fully arrived by then is answered 408 and its connection closed (issue 15).
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  DEMO_DATA: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  DEV_OUTBOX: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  // Bearer token of GET /metrics (docs/operations.md#metrics); unset: the endpoint refuses every scrape.
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  // Authentication (docs/authentication.md).
  DEV_IDP: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  DEV_IDP_FORCE: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  SESSION_CACHE_SECONDS: z.coerce.number().min(0).max(60).optional(),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  // Identity checks (duplicate search, identification) per account / API key (docs/register.md#identity-checks).
  IDENTITY_CHECKS_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  IDENTIFY_FAILURES_BEFORE_LOCK: z.coerce.number().int().min(1).max(1_000).default(5),
  IDENTIFY_LOCK_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  // Public directory (/fhir, /api/directory): requests per minute per client and per instance (docs/directory-and-fhir.md).
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_MACHINE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
  // FHIR resources kept in memory per instance for reads by id, while it listens to the directory's changes (docs/directory-and-fhir.md).
  FHIR_READ_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).optional(),
  // Which peers may set X-Forwarded-For/-Proto: true, false, a hop count, or addresses/CIDRs/loopback/linklocal/uniquelocal.
  TRUST_PROXY: z
    .string()
    .refine(isTrustProxy, 'expected true, false, a number of hops, or comma-separated addresses, CIDR ranges, loopback, linklocal, uniquelocal')
    .default('loopback,linklocal,uniquelocal'),
  PSC_ISSUER: z.url({ error: 'expected the issuer URL of Pro Santé Connect' }).optional(),
  PSC_DISCOVERY_URL: z.url().optional(),
  PSC_CLIENT_ID: z.string().min(1).optional(),
  PSC_CLIENT_SECRET: z.string().min(1).optional(),
  PSC_SCOPES: z.string().min(1).default('openid scope_all'),
  PSC_ACR_VALUES: z.string().min(1).default('eidas1'),
  PSC_REDIRECT_URI: z.url().optional(),
  PSC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  FC_ISSUER: z.url({ error: 'expected the issuer URL of FranceConnect (v2)' }).optional(),
  FC_DISCOVERY_URL: z.url().optional(),
  FC_CLIENT_ID: z.string().min(1).optional(),
  FC_CLIENT_SECRET: z.string().min(1).optional(),
  FC_SCOPES: z
    .string()
    .min(1)
    .default('openid given_name family_name birthdate gender birthplace birthcountry email preferred_username'),
  FC_ACR_VALUES: z.string().min(1).default('eidas1'),
  FC_REDIRECT_URI: z.url().optional(),
  FC_POST_LOGOUT_REDIRECT_URI: z.url().optional(),
  // RPPS numbers this instance may allocate: 10-digit payloads (the Luhn key is appended). See docs/register.md.
  RPPS_RANGE_START: z.string().regex(/^\d{10}$/, 'expected a 10-digit RPPS payload, e.g. 1090000000').default('1090000000'),
  RPPS_RANGE_END: z.string().regex(/^\d{10}$/, 'expected a 10-digit RPPS payload, e.g. 1099999999').default('1099999999'),
  // Bulk import of staff (docs/bulk-import.md).
  BULK_IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(20 * 1024 * 1024),
  BULK_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  BULK_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2000),
  // Days the copy of an identity document is kept when the identity is not confirmed before (docs/register.md).
  IDENTITY_DOCUMENT_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  // Pre-registration: days a request may wait before the gestionnaires are reminded (docs/preregistration.md).
  PREREGISTRATION_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  // The day the professions seed 004 marks "bientôt disponible" open (docs/referential.md); unset: not yet.
  PROFESSIONS_SOON_AVAILABLE_FROM: isoDay.optional(),
  // The day the DMP opens its documents to the roles of RPPS+ (docs/access-matrix.md); unset: not known yet.
  DMP_ROLE_ACCESS_FROM: isoDay.optional(),
  // Directory extraction files kept per kind, full and delta (docs/directory-and-fhir.md).
  SUPPORT_EMAIL: z.email({ error: 'expected an e-mail address' }).default('monserviceclient.portailrppsplus@esante.gouv.fr'),
  SUPPORT_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).max(10_000).default(5),
  EXTRACTION_KEEP: z.coerce.number().int().min(1).max(365).default(7),
});

export type Config = Readonly<{
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Replica for public reads; undefined: they go to the primary (DATABASE_URL). */
  databaseReadUrl: string | undefined;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Whether this process runs background jobs (it always can enqueue them). */
  jobsWorker: boolean;
  /** The job kinds or families this worker runs (JOBS_ONLY); undefined: all of them. */
  jobsOnly: readonly string[] | undefined;
  /** Seconds a stopping process keeps serving while failing readiness, before closing. */
  shutdownDrainSeconds: number;
  logLevel: (typeof logLevels)[number];
  /** Bearer token a scraper shows to GET /metrics; undefined: metrics are refused. */
  metricsToken: string | undefined;
  bodyLimitBytes: number;
  /** Longest time a request may take to arrive (slow uploads included), in milliseconds. */
  requestTimeoutMs: number;
  /** Fastify `trustProxy`: which peers' X-Forwarded-* headers are believed (client address of the rate limits). */
  trustProxy: boolean | number | string;
  /** Requests per minute per client on the public directory, per instance; API keys get `machinePerMinute`. */
  publicRateLimit: Readonly<{ perMinute: number; machinePerMinute: number }>;
  /** FHIR resources an instance keeps for reads by id (only while it listens to the directory's change notifications); 0: off. */
  fhirReadCacheEntries: number;
  demoData: boolean;
  /** The public /api/dev/outbox (mails and SMS codes as sent): development only, never in production. */
  devOutbox: boolean;
  /**
   * Why the development conveniences (embedded providers, dev outbox, demo data) were refused:
   * the instance looks exposed (https PUBLIC_URL or non-loopback HOST) and no explicit
   * development setting was given. Printed at start-up; null when nothing was refused.
   */
  devRefusal: string | null;
  auth: AuthConfig;
  /** Inclusive range of RPPS payloads (10 digits, before the Luhn key) reserved for this instance. */
  rppsRange: Readonly<{ start: number; end: number }>;
  /** Bulk import limits: file size, rows per file, rows per background job. */
  bulkImport: Readonly<{ maxBytes: number; maxRows: number; batchSize: number }>;
  /** Days an identity document copy is kept at most (deleted earlier, once the identity is confirmed). */
  identityDocumentRetentionDays: number;
  /** Pre-registration: a pending request older than `reminderDays` reminds the gestionnaires, twice that the RL too. */
  preregistration: Readonly<{ reminderDays: number }>;
  /** Directory extraction files: how many of each kind (full, delta) are kept. */
  extraction: Readonly<{ keep: number }>;
  /** Identity checks per account or API key and per hour; failed identifications before a lock of `lockMinutes`. */
  identityChecks: Readonly<{ perHour: number; failuresBeforeLock: number; lockMinutes: number }>;
  /** Reference data: the day the "bientôt disponible" professions open (null: not yet). */
  referential: Readonly<{ soonAvailableProfessionsFrom: string | null }>;
  /** DMP: the day it opens its documents to the roles of RPPS+ (null: not known yet; seed 001). */
  dmp: Readonly<{ roleAccessFrom: string | null }>;
  /** Help desk: where support requests are mailed, and how many an anonymous client may file per hour. */
  support: Readonly<{ email: string; perHour: number }>;
}>;

export type OidcProviderName = 'psc' | 'franceconnect';

/** One relying-party configuration; `issuer` undefined means "the embedded provider". */
export interface OidcProviderConfig {
  name: OidcProviderName;
  /** Undefined: the provider is not configured (and the embedded one is off): login refused. */
  issuer: string | undefined;
  discoveryUrl: string | undefined;
  clientId: string;
  clientSecret: string;
  scopes: string;
  acrValues: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  /** Served by the embedded development provider of this process. */
  embedded: boolean;
}

export interface AuthConfig {
  /** The embedded identity providers (/dev-idp/psc, /dev-idp/franceconnect) are mounted. */
  devIdp: boolean;
  /** The embedded providers run in production because DEV_IDP_FORCE=true: warn loudly. */
  devIdpForced: boolean;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
  /** How long an instance may answer a session and its roles from memory (only while it LISTENs for changes); 0: never. */
  sessionCacheMs: number;
  /** Cookies get `Secure` (and the `__Host-` prefix) when the public URL is https. */
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  providers: Record<OidcProviderName, OidcProviderConfig>;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Settings whose value is a secret. Each can also be given as a file (`<NAME>_FILE`, e.g. a
 * container secret under /run/secrets); a wrong value is reported without showing it.
 */
export const secretVariables = ['DATABASE_URL', 'DATABASE_READ_URL', 'SMTP_URL', 'PSC_CLIENT_SECRET', 'FC_CLIENT_SECRET', 'METRICS_TOKEN'] as const;
const isSecret = (name: string) => (secretVariables as readonly string[]).includes(name);

function readSecretFiles(env: Record<string, string>): Record<string, string> {
  const out = { ...env };
  for (const name of secretVariables) {
    const file = env[`${name}_FILE`];
    if (file === undefined) continue;
    if (env[name] !== undefined) throw new ConfigError(`Invalid configuration: ${name} and ${name}_FILE are both set: keep one`);
    let value: string;
    try {
      value = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`Invalid configuration: ${name}_FILE (got "${file}"): cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    // One trailing line break, as `echo` or an editor leaves it, is not part of the secret.
    value = value.replace(/\r?\n$/, '');
    if (value === '') throw new ConfigError(`Invalid configuration: ${name}_FILE (got "${file}"): the file is empty`);
    out[name] = value;
  }
  return out;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings are treated as unset: `PORT= npm start` means "use the default".
  const cleaned = readSecretFiles(
    Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'environment');
    const shown = cleaned[variable] === undefined ? '' : isSecret(variable) ? ' (value not shown: secret)' : ` (got "${cleaned[variable]}")`;
    throw new ConfigError(`Invalid configuration: ${variable}${shown}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.DATABASE_READ_URL && !e.DATABASE_URL) {
    throw new ConfigError('Invalid configuration: DATABASE_READ_URL needs DATABASE_URL (the primary): the embedded database has no replica');
  }
  if (e.JOBS_ONLY && e.JOBS_WORKER === 'false') {
    throw new ConfigError(`Invalid configuration: JOBS_ONLY (got "${e.JOBS_ONLY}"): this process runs no job (JOBS_WORKER=false): unset one of them`);
  }
  if (Number(e.RPPS_RANGE_END) < Number(e.RPPS_RANGE_START)) {
    throw new ConfigError(`Invalid configuration: RPPS_RANGE_END (got "${e.RPPS_RANGE_END}"): must not be below RPPS_RANGE_START`);
  }
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const dev = developmentDefaults(e, cleaned.NODE_ENV, publicUrl);
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseReadUrl: e.DATABASE_READ_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobsWorker: e.JOBS_WORKER === 'true',
    jobsOnly: e.JOBS_ONLY ? Object.freeze(e.JOBS_ONLY.split(',').map((kind) => kind.trim())) : undefined,
    shutdownDrainSeconds: e.SHUTDOWN_DRAIN_SECONDS,
    logLevel: e.LOG_LEVEL,
    metricsToken: e.METRICS_TOKEN,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    requestTimeoutMs: e.REQUEST_TIMEOUT_SECONDS * 1000,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    publicRateLimit: Object.freeze({ perMinute: e.RATE_LIMIT_PUBLIC_PER_MINUTE, machinePerMinute: e.RATE_LIMIT_MACHINE_PER_MINUTE }),
    // Off by default under NODE_ENV=test, like the session cache: tests that write the directory then read it expect no notification latency.
    fhirReadCacheEntries: e.FHIR_READ_CACHE_ENTRIES ?? (e.NODE_ENV === 'test' ? 0 : 50_000),
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : dev.allowed,
    devOutbox: e.NODE_ENV !== 'production' && (e.DEV_OUTBOX ? e.DEV_OUTBOX === 'true' : dev.allowed),
    devRefusal: dev.refusal,
    auth: authConfig(e, publicUrl, dev.allowed),
    rppsRange: Object.freeze({ start: Number(e.RPPS_RANGE_START), end: Number(e.RPPS_RANGE_END) }),
    bulkImport: Object.freeze({ maxBytes: e.BULK_IMPORT_MAX_BYTES, maxRows: e.BULK_IMPORT_MAX_ROWS, batchSize: e.BULK_IMPORT_BATCH_SIZE }),
    identityDocumentRetentionDays: e.IDENTITY_DOCUMENT_RETENTION_DAYS,
    preregistration: Object.freeze({ reminderDays: e.PREREGISTRATION_REMINDER_DAYS }),
    extraction: Object.freeze({ keep: e.EXTRACTION_KEEP }),
    identityChecks: Object.freeze({ perHour: e.IDENTITY_CHECKS_PER_HOUR, failuresBeforeLock: e.IDENTIFY_FAILURES_BEFORE_LOCK, lockMinutes: e.IDENTIFY_LOCK_MINUTES }),
    referential: Object.freeze({ soonAvailableProfessionsFrom: e.PROFESSIONS_SOON_AVAILABLE_FROM ?? null }),
    dmp: Object.freeze({ roleAccessFrom: e.DMP_ROLE_ACCESS_FROM ?? null }),
    support: Object.freeze({ email: e.SUPPORT_EMAIL, perHour: e.SUPPORT_RATE_LIMIT_PER_HOUR }),
  });
}

/** The embedded identity providers' client credentials: not secrets, they only exist in development. */
export const devIdpClients = {
  psc: { clientId: 'rpps-plus-dev', clientSecret: 'dev-idp-psc-secret-not-for-production' },
  franceconnect: { clientId: 'rpps-plus-dev', clientSecret: 'dev-idp-franceconnect-secret-not-for-production' },
} as const;

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);

/**
 * Fail closed (issue 15): the embedded identity providers (anyone signs in as anyone), the public
 * dev outbox and the demo data are on by default only on a loopback instance (`npm start`), or
 * where NODE_ENV=development|test is set explicitly. An https PUBLIC_URL or a non-loopback HOST
 * without that needs each one set on purpose (DEV_IDP, DEV_OUTBOX, DEMO_DATA).
 */
function developmentDefaults(e: z.infer<typeof schema>, nodeEnvGiven: string | undefined, publicUrl: string): { allowed: boolean; refusal: string | null } {
  if (e.NODE_ENV === 'production') return { allowed: false, refusal: null };
  const explicit = nodeEnvGiven === 'development' || nodeEnvGiven === 'test';
  const exposedBy = publicUrl.startsWith('https://') ? `PUBLIC_URL is https (${publicUrl})` : !isLoopback(e.HOST) ? `HOST is not a loopback address (${e.HOST})` : null;
  if (!exposedBy || explicit) return { allowed: true, refusal: null };
  const refused = [!e.DEV_IDP && 'embedded identity providers', !e.DEV_OUTBOX && '/api/dev/outbox', !e.DEMO_DATA && 'demo data'].filter(Boolean);
  return {
    allowed: false,
    refusal:
      refused.length === 0
        ? null
        : `Refused: ${refused.join(', ')}: ${exposedBy} and no explicit development setting (set NODE_ENV=development, or DEV_IDP/DEV_OUTBOX/DEMO_DATA=true, only on a test platform).`,
  };
}

function authConfig(e: z.infer<typeof schema>, publicUrl: string, devAllowed: boolean): AuthConfig {
  const production = e.NODE_ENV === 'production';
  const forced = e.DEV_IDP_FORCE === 'true';
  const devIdp = e.DEV_IDP ? e.DEV_IDP === 'true' : devAllowed || forced;
  // Demo identities sign anyone in as anyone: never in production by accident.
  if (devIdp && production && !forced) {
    throw new ConfigError(
      'Invalid configuration: DEV_IDP (got "true"): the embedded identity provider is refused with NODE_ENV=production; ' +
        'set DEV_IDP_FORCE=true only for a demonstration platform',
    );
  }
  const provider = (
    name: OidcProviderName,
    v: {
      issuer?: string;
      discovery?: string;
      id?: string;
      secret?: string;
      scopes: string;
      acr: string;
      redirect?: string;
      postLogout?: string;
    },
    envPrefix: string,
  ): OidcProviderConfig => {
    if (v.issuer && (!v.id || !v.secret)) {
      throw new ConfigError(`Invalid configuration: ${envPrefix}_CLIENT_ID and ${envPrefix}_CLIENT_SECRET are required with ${envPrefix}_ISSUER`);
    }
    const embedded = !v.issuer && devIdp;
    return {
      name,
      issuer: v.issuer ?? (embedded ? `${publicUrl}/dev-idp/${name}` : undefined),
      discoveryUrl: v.discovery,
      clientId: v.id ?? devIdpClients[name].clientId,
      clientSecret: v.secret ?? devIdpClients[name].clientSecret,
      scopes: v.scopes,
      acrValues: v.acr,
      redirectUri: v.redirect ?? `${publicUrl}/auth/${name}/callback`,
      postLogoutRedirectUri: v.postLogout ?? `${publicUrl}/connexion/deconnexion`,
      embedded,
    };
  };
  return {
    devIdp,
    devIdpForced: devIdp && production,
    sessionIdleMs: e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    // Off by default under NODE_ENV=test: tests that write roles straight into the database then read
    // them back expect no notification latency (the cache has tests of its own).
    sessionCacheMs: (e.SESSION_CACHE_SECONDS ?? (e.NODE_ENV === 'test' ? 0 : 5)) * 1000,
    secureCookies: publicUrl.startsWith('https://'),
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    providers: {
      psc: provider(
        'psc',
        {
          issuer: e.PSC_ISSUER,
          discovery: e.PSC_DISCOVERY_URL,
          id: e.PSC_CLIENT_ID,
          secret: e.PSC_CLIENT_SECRET,
          scopes: e.PSC_SCOPES,
          acr: e.PSC_ACR_VALUES,
          redirect: e.PSC_REDIRECT_URI,
          postLogout: e.PSC_POST_LOGOUT_REDIRECT_URI,
        },
        'PSC',
      ),
      franceconnect: provider(
        'franceconnect',
        {
          issuer: e.FC_ISSUER,
          discovery: e.FC_DISCOVERY_URL,
          id: e.FC_CLIENT_ID,
          secret: e.FC_CLIENT_SECRET,
          scopes: e.FC_SCOPES,
          acr: e.FC_ACR_VALUES,
          redirect: e.FC_REDIRECT_URI,
          postLogout: e.FC_POST_LOGOUT_REDIRECT_URI,
        },
        'FC',
      ),
    },
  };
}
