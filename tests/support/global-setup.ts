import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/server/config.ts';
import { loadDemoData } from '../../src/server/demo.ts';
import { openRuntimeDatabase } from '../../src/server/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDir: string;
    templateDatabase: string;
    runId: string;
  }
}

/**
 * Builds one migrated, seeded template database per run; each test file then gets a copy
 * (a copied PGlite directory, or `CREATE DATABASE … TEMPLATE` on PostgreSQL), so tests are
 * isolated and start in milliseconds instead of re-running initdb and the seeds.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
  const runId = `${process.pid}_${Date.now()}`;
  project.provide('runId', runId);
  if (config.databaseUrl) {
    const admin = new pg.Client({ connectionString: config.databaseUrl });
    await admin.connect();
    const name = `rpps_tpl_${runId}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(config.databaseUrl);
    url.pathname = `/${name}`;
    const handle = await openRuntimeDatabase({ ...config, databaseUrl: url.toString() });
    await loadDemoData(handle.db);
    await handle.close();
    project.provide('templateDatabase', name);
    project.provide('templateDir', '');
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
        [`rpps_test_${runId}_%`, name],
      );
      for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
      await admin.end();
    };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-tpl-'));
  const handle = await openRuntimeDatabase({ ...config, dataDir: dir });
  await loadDemoData(handle.db);
  await handle.close();
  project.provide('templateDir', dir);
  project.provide('templateDatabase', '');
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
