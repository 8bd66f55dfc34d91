import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { devIdpWarning } from './auth/plugin.ts';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './context.ts';
import { openDatabase } from './db/database.ts';
import { serveBackupRequests } from './db/backup.ts';
import { DataDirLockedError } from './db/lock.ts';
import { createMetrics } from './http/metrics.ts';
import { loadDemoData } from './demo.ts';
import { createBackground } from './jobs/background.ts';
import { seedDemoProfessionals } from './modules/register/demo.ts';
import { seedDemoIdentities } from './modules/register/demo-identities.ts';
import { openRuntimeDatabase } from './runtime.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Start-up problems the operator can fix print one line, without a stack trace. */
function fail(message: string): never {
  process.stderr.write(`rpps-plus: ${message}\n`);
  process.exit(1);
}

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  const metrics = createMetrics();
  let handle;
  try {
    handle = await openRuntimeDatabase(config, {
      onQuery: metrics.onQuery,
      onWait: () => process.stdout.write('Another process is migrating the database: waiting for it…\n'),
      onNewerSchema: (names) =>
        process.stderr.write(`rpps-plus: the database was migrated by a newer release (${names.join(', ')}): serving without migrating\n`),
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    if (config.databaseUrl) fail(`cannot use the database at DATABASE_URL: ${(err as Error).message}`);
    throw err;
  }
  metrics.watchPool('primary', handle.poolStats);
  // Public reads from the streaming replica (docs/operations.md#read-replica); never migrated here.
  const replica = config.databaseReadUrl
    ? await openDatabase({
        databaseUrl: config.databaseReadUrl,
        dataDir: config.dataDir,
        poolSize: config.databasePoolSize,
        onQuery: metrics.onQuery,
        onIdleClientError: (err) => process.stderr.write(`rpps-plus: replica connection lost (${err.message}); reconnecting on next query\n`),
      })
    : undefined;
  if (replica) metrics.watchPool('replica', replica.poolStats);
  if (config.demoData) await loadDemoData(handle.db);

  const lifecycle = { draining: false };
  let background;
  try {
    background = createBackground(config, handle, systemClock);
  } catch (err) {
    await replica?.close();
    await handle.close();
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const app = await buildApp(
    { config, db: handle.db, pglite: handle.pglite, readDb: replica?.db, metrics, lifecycle, clock: systemClock, jobs: background.jobs, mail: background.mail },
    { webDir: path.join(root, 'dist/web') },
  );
  // After the migrations: pg-boss installs or upgrades its own schema here.
  await background.start(app.log.child({ component: 'jobs' }));
  // Demo professionals through the register service (their jobs need the started runtime); only
  // here, not in loadDemoData, which also builds the test template.
  if (config.demoData) {
    const started = performance.now();
    const { seeded } = await seedDemoProfessionals({ db: handle.db, clock: systemClock, config, jobs: background.jobs });
    if (seeded) app.log.info({ ms: Math.round(performance.now() - started) }, 'demo.professionals_seeded');
    await seedDemoIdentities({ db: handle.db, clock: systemClock, config, jobs: background.jobs });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal, drainSeconds: config.shutdownDrainSeconds }, 'server.stopping');
    // Graceful drain: readiness fails first so the load balancer stops sending new requests,
    // requests keep being served meanwhile; then the listener closes and in-flight ones finish.
    lifecycle.draining = true;
    if (config.shutdownDrainSeconds > 0) await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainSeconds * 1000));
    await app.close();
    await background.stop();
    await replica?.close();
    await handle.close();
    process.exit(0);
  };
  // `rpps backup` on the embedded database asks this process for the copy (src/server/db/backup.ts).
  if (handle.backend === 'pglite') {
    let backups = Promise.resolve();
    process.on('SIGUSR2', () => {
      backups = backups
        .then(() => serveBackupRequests(config.dataDir, handle))
        .catch((err: unknown) => app.log.error({ err }, 'backup.failed'));
    });
  }
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await background.stop();
    await handle.close();
    fail(`cannot listen on ${config.host}:${config.port} (PORT/HOST): ${(err as Error).message}`);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  if (config.devRefusal) process.stderr.write(`${config.devRefusal}\n`);
  const warning = devIdpWarning(config);
  if (warning) process.stderr.write(`\n${'!'.repeat(100)}\n${warning}\n${'!'.repeat(100)}\n`);
  if (config.auth.devIdp) {
    process.stdout.write(`Embedded identity providers (demo identities): http://localhost:${port}/dev-idp/psc and /dev-idp/franceconnect\n`);
  }
  process.stdout.write(
    `\nRPPS+ is running on http://localhost:${port}/ (database: ${handle.backend === 'pglite' ? config.dataDir : 'PostgreSQL'})\n` +
      `API documentation: http://localhost:${port}/api/docs\n\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`rpps-plus: start-up failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
