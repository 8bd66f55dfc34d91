import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import { devIdpWarning } from './auth/plugin.ts';
import { ConfigError, loadConfig } from './config.ts';
import { systemClock } from './context.ts';
import { DataDirLockedError } from './db/lock.ts';
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

  let handle;
  try {
    handle = await openRuntimeDatabase(config);
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    if (config.databaseUrl) fail(`cannot use the database at DATABASE_URL: ${(err as Error).message}`);
    throw err;
  }
  if (config.demoData) await loadDemoData(handle.db);

  const background = createBackground(config, handle, systemClock);
  const app = await buildApp(
    { config, db: handle.db, clock: systemClock, jobs: background.jobs, mail: background.mail },
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
    app.log.info({ signal }, 'server.stopping');
    await app.close();
    await background.stop();
    await handle.close();
    process.exit(0);
  };
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
