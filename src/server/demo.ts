import type { Database } from './db/database.ts';

/** Demo data for `npm start` outside production: the fictitious FINESS sample. */
export async function loadDemoData(_db: Database): Promise<void> {
  // Filled in by the FINESS import (src/server/modules/structures/import).
}
