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
  // Authentication (docs/authentication.md).
  DEV_IDP: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  DEV_IDP_FORCE: z.enum(['true', 'false'], { error: 'expected true or false' }).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),
  // Public directory (/fhir, /api/directory): requests per minute per client and per instance (docs/directory-and-fhir.md).
  RATE_LIMIT_PUBLIC_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
  RATE_LIMIT_MACHINE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6_000),
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
  BULK_IMPORT_MAX_ROWS: z.coerce.number().int().min(1).default(50_000),
  BULK_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(200),
  // Pre-registration: days a request may wait before the gestionnaires are reminded (docs/preregistration.md).
  PREREGISTRATION_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(7),
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
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Whether this process runs background jobs (it always can enqueue them). */
  jobsWorker: boolean;
  logLevel: (typeof logLevels)[number];
  bodyLimitBytes: number;
  /** Fastify `trustProxy`: which peers' X-Forwarded-* headers are believed (client address of the rate limits). */
  trustProxy: boolean | number | string;
  /** Requests per minute per client on the public directory, per instance; API keys get `machinePerMinute`. */
  publicRateLimit: Readonly<{ perMinute: number; machinePerMinute: number }>;
  demoData: boolean;
  auth: AuthConfig;
  /** Inclusive range of RPPS payloads (10 digits, before the Luhn key) reserved for this instance. */
  rppsRange: Readonly<{ start: number; end: number }>;
  /** Bulk import limits: file size, rows per file, rows per background job. */
  bulkImport: Readonly<{ maxBytes: number; maxRows: number; batchSize: number }>;
  /** Pre-registration: a pending request older than `reminderDays` reminds the gestionnaires, twice that the RL too. */
  preregistration: Readonly<{ reminderDays: number }>;
  /** Directory extraction files: how many of each kind (full, delta) are kept. */
  extraction: Readonly<{ keep: number }>;
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
  /** Cookies get `Secure` (and the `__Host-` prefix) when the public URL is https. */
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  providers: Record<OidcProviderName, OidcProviderConfig>;
}

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
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  return Object.freeze({
    env: e.NODE_ENV,
    host: e.HOST,
    port,
    publicUrl,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    jobsWorker: e.JOBS_WORKER === 'true',
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    publicRateLimit: Object.freeze({ perMinute: e.RATE_LIMIT_PUBLIC_PER_MINUTE, machinePerMinute: e.RATE_LIMIT_MACHINE_PER_MINUTE }),
    demoData: e.DEMO_DATA ? e.DEMO_DATA === 'true' : e.NODE_ENV !== 'production',
    auth: authConfig(e, publicUrl),
    rppsRange: Object.freeze({ start: Number(e.RPPS_RANGE_START), end: Number(e.RPPS_RANGE_END) }),
    bulkImport: Object.freeze({ maxBytes: e.BULK_IMPORT_MAX_BYTES, maxRows: e.BULK_IMPORT_MAX_ROWS, batchSize: e.BULK_IMPORT_BATCH_SIZE }),
    preregistration: Object.freeze({ reminderDays: e.PREREGISTRATION_REMINDER_DAYS }),
    extraction: Object.freeze({ keep: e.EXTRACTION_KEEP }),
    support: Object.freeze({ email: e.SUPPORT_EMAIL, perHour: e.SUPPORT_RATE_LIMIT_PER_HOUR }),
  });
}

/** The embedded identity providers' client credentials: not secrets, they only exist in development. */
export const devIdpClients = {
  psc: { clientId: 'rpps-plus-dev', clientSecret: 'dev-idp-psc-secret-not-for-production' },
  franceconnect: { clientId: 'rpps-plus-dev', clientSecret: 'dev-idp-franceconnect-secret-not-for-production' },
} as const;

function authConfig(e: z.infer<typeof schema>, publicUrl: string): AuthConfig {
  const production = e.NODE_ENV === 'production';
  const forced = e.DEV_IDP_FORCE === 'true';
  const devIdp = e.DEV_IDP ? e.DEV_IDP === 'true' : !production || forced;
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
