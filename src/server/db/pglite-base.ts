import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A snapshot of a freshly initialised, migrated and seeded embedded database, made once by
 * `npm install` (postinstall). PGlite's initdb costs ≈ 3 s and the reference data ≈ 1 s; loading
 * the snapshot into a new DATA_DIR costs ≈ 1 s, so the very first `npm start` stays fast.
 * Migrations still run at start-up, so a snapshot older than the code is simply brought up to date.
 */
export const pgliteBasePath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../node_modules/.cache/rpps-plus/pglite-base.tar.gz',
);

export function readPgliteBase(): Blob | undefined {
  try {
    return new Blob([fs.readFileSync(pgliteBasePath)]);
  } catch {
    return undefined;
  }
}
